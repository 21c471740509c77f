"""Generic pieces every package of the toolkit may use: errors, atomic writes, deterministic zips, fonts, PDF
layout, YAML with line numbers. It imports none of `course_package`, `scorm` or `scm_lms`, so nothing here can
form a cycle."""
