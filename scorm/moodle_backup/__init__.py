"""The Moodle template course as a `moodle2` backup (.mbz): five sections, one SCORM 1.2 activity each.

`describe_course` (course model + built packages → plain data), `build_mbz` / `write_mbz` (→ archive) and
`validate_mbz` (any .mbz → report) are the entry points.
"""
