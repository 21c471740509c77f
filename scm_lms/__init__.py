"""Moodle client, provisioning, certification and the scm-lms command line."""

__version__ = "0.1.0"
