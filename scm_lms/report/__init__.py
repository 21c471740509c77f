"""`scm-lms lms report`: one self-contained HTML page on a Durchgang's progress.

Data flows one way: `gather` (Moodle client + ledger, read only) → `summary` (pure figures, certification,
who is stuck) → `charts` (inline SVG) → `page` (HTML, written atomically).
"""

from __future__ import annotations

from scm_lms.report.gather import ReportData, ReportError, gather
from scm_lms.report.page import render_report, write_report
from scm_lms.report.summary import Summary, summarise

__all__ = ["ReportData", "ReportError", "Summary", "gather", "render_report", "summarise", "write_report"]
