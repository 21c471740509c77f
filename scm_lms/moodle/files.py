"""File uploads into the token user's draft area, the staging step before files are attached anywhere."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from scm_lms.moodle.models import UploadedFile
from scm_lms.moodle.parsing import parse, parse_list
from scm_lms.moodle.transport import MoodleClient, UploadFile


def upload_draft(client: MoodleClient, files: Sequence[UploadFile], *, itemid: int = 0) -> list[UploadedFile]:
    """Upload through `webservice/upload.php` (multipart, no size blow-up); all files share one draft item."""
    if not files:
        raise ValueError("upload_draft needs at least one file (Moodle silently accepts none)")
    return parse_list(UploadedFile, client.upload(files, itemid=itemid), "webservice/upload.php")


def upload_file(
    client: MoodleClient, file: UploadFile, *, userid: int, itemid: int = 0, filepath: str = "/"
) -> UploadedFile:
    """Upload through `core_files_upload` (base64 in the form); Moodle accepts only the user draft area."""
    params: dict[str, Any] = {
        "contextlevel": "user",
        "instanceid": userid,
        "component": "user",
        "filearea": "draft",
        "itemid": itemid,
        "filepath": filepath,
        "filename": file.name,
        "filecontent": base64.b64encode(file.content).decode("ascii"),
    }
    # A resent draft upload only leaves an unused draft file, so resending is safe.
    return parse(
        UploadedFile, client.write("core_files_upload", params, verify=lambda: None), "core_files_upload"
    )
