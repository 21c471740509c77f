"""Course sources and packages tests build from: the starter course and a third-party SCO."""

from __future__ import annotations

import tarfile
from pathlib import Path

from lxml import etree

from course_package import CURRICULUM_DIR

STARTER = CURRICULUM_DIR.parent / "starter"
DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
REFERENCE_BACKUP = DATA / "moodle-backup" / "scm-template-reference.mbz"


def third_party_zip(folder: Path) -> Path:
    """The SCO a real Moodle 4.5 accepted, from the shared reference backup (someone else's package)."""
    with tarfile.open(REFERENCE_BACKUP, "r:gz") as archive:
        member = archive.extractfile("files.xml")
        assert member is not None
        files = etree.fromstring(member.read())
        record = next(f for f in files.iter("file") if f.findtext("filename") == "fixture-sco.zip")
        digest = record.findtext("contenthash") or ""
        package = archive.extractfile(f"files/{digest[:2]}/{digest}")
        assert package is not None
        path = folder / "fixture-sco.zip"
        path.write_bytes(package.read())
    return path
