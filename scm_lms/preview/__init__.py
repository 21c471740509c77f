"""`scm-lms preview`: play one SCO locally in scorm-again, beside its CMI data, API log and warnings.

`site` loads what to play (zip or course source), `watch` rebuilds a source on change, `server` serves the
preview page (assets/) and the SCO on 127.0.0.1.
"""

from __future__ import annotations

from scm_lms.preview.server import PreviewServer, scorm_again_path
from scm_lms.preview.site import PreviewError, PreviewSite, load_source, load_zip
from scm_lms.preview.watch import LiveSite

__all__ = [
    "LiveSite",
    "PreviewError",
    "PreviewServer",
    "PreviewSite",
    "load_source",
    "load_zip",
    "scorm_again_path",
]
