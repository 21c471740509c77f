"""Moodle client, provisioning, certification and the scm-lms command line.

Where things live: `programme` (the programme file, the ten mornings' dates), `intake` (registrations,
admission, notices), `ledger` (the one SQLite file: registrations, decisions, certificates, erasure, access),
`attendance` (who was at which live morning), `provision` (plan/apply in Moodle), `certify`, `report`,
`moodle` (the web-service client) and `cli` (thin commands). Generic helpers the packages share (atomic
writes, PDF pages, fonts, errors) are in the neighbouring `scm_base`.
"""

__version__ = "0.1.0"
