"""Provisioning a Durchgang in Moodle: read the site (`state`), diff against the desired state (`plan`), carry
out the difference in batches (`apply`) and keep an append-only record of what was done (`journal`).

Data flows one way: desired state + current state → plan → apply → journal. Only `state` and `apply` talk to
Moodle, and both only through `scm_lms.moodle`.
"""
