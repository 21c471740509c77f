"""What Moodle stores when it unpacks a SCORM 1.2 package: the file list and the `scorm_scoes` rows.

A restored backup does not re-read the manifest: the `<scoes>` in scorm.xml are used as they are. So they must
be what Moodle's own parser (mod/scorm/datamodels/scormlib.php) would have produced from the same manifest:
organizations first, then each organization's items in document order; per item the optional values
(isvisible, parameters, mastery score …) in the order the parser meets them. The manifest is read with the
same literal, upper-cased view the SCORM validator uses for Moodle.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from types import MappingProxyType

from scm_base.errors import ToolkitError
from scorm.validate.parse import (
    ManifestError,
    Node,
    moodle_scorm_version,
    parse_literal,
    parse_safe,
    schemaversion,
)

MANIFEST = "imsmanifest.xml"
MAX_PACKAGE_FILES = 5000
MAX_UNPACKED_BYTES = 256 * 1024 * 1024

_ITEM_EXTRAS = {
    "ADLCP:MAXTIMEALLOWED": "maxtimeallowed",
    "ADLCP:TIMELIMITACTION": "timelimitaction",
    "ADLCP:DATAFROMLMS": "datafromlms",
    "ADLCP:MASTERYSCORE": "masteryscore",
}


class PackageReadError(ToolkitError, ValueError):
    """A package cannot be put into the backup; the message names the package file."""


@dataclass(frozen=True)
class Sco:
    """One `scorm_scoes` row and its `scorm_scoes_data` name/value pairs, in Moodle's order."""

    manifest: str
    organization: str
    parent: str
    identifier: str
    launch: str
    scormtype: str
    title: str
    data: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ScormPackage:
    filename: str
    """Name of the uploaded zip as Moodle shows and stores it (file area `package`)."""
    data: bytes
    files: MappingProxyType[str, bytes]
    """The unpacked entries (file area `content`), by relative path."""
    version: str
    scoes: tuple[Sco, ...]
    default_organization: str

    @property
    def sha1(self) -> str:
        return hashlib.sha1(self.data).hexdigest()

    @property
    def launch_index(self) -> int | None:
        """Index of the SCO Moodle opens first: the first row with a launch file in the default org."""
        for index, sco in enumerate(self.scoes):
            if sco.launch and (
                not self.default_organization or sco.organization == self.default_organization
            ):
                return index
        for index, sco in enumerate(self.scoes):
            if sco.launch:
                return index
        return None


def read_package(filename: str, data: bytes) -> ScormPackage:
    """Unpack and parse one of our SCORM 1.2 zips; anything unexpected is a clear error naming the file."""
    files = _unzip(filename, data)
    raw = files.get(MANIFEST)
    if raw is None:
        raise PackageReadError(f"{filename}: imsmanifest.xml fehlt im Wurzelverzeichnis des Pakets")
    try:
        parse_safe(raw)
        root = parse_literal(raw)
    except ManifestError as error:
        raise PackageReadError(f"{filename}: {MANIFEST} Zeile {error.line}: {error}") from None
    version = moodle_scorm_version(schemaversion(root))
    scoes, default = manifest_scoes(root)
    if not any(sco.launch for sco in scoes):
        raise PackageReadError(f"{filename}: das Manifest enthält kein startbares SCO")
    return ScormPackage(filename, data, MappingProxyType(files), version, tuple(scoes), default)


def manifest_scoes(root: Node) -> tuple[list[Sco], str]:
    """(rows, default organization) for a manifest parsed with `parse_literal`."""
    manifest = root.attrs.get("IDENTIFIER", "")
    resources = {
        node.attrs.get("IDENTIFIER", ""): node.attrs
        for block in _children(root, "RESOURCES")
        for node in _children(block, "RESOURCE")
    }
    organizations: list[Sco] = []
    items: list[Sco] = []
    default = ""
    for block in _children(root, "ORGANIZATIONS"):
        default = default or block.attrs.get("DEFAULT", "")
        for org in _children(block, "ORGANIZATION"):
            identifier = org.attrs.get("IDENTIFIER", "")
            organizations.append(Sco(manifest, "", "/", identifier, "", "", _title(org)))
            for item in _children(org, "ITEM"):
                _walk_item(item, manifest, identifier, identifier, resources, items)
    if not organizations and not items:
        for identifier, attrs in resources.items():
            if attrs.get("HREF"):
                row = Sco(
                    manifest, "", "/", identifier, attrs["HREF"], attrs.get("ADLCP:SCORMTYPE", ""), identifier
                )
                items.append(row)
    return organizations + items, default


def _walk_item(
    item: Node,
    manifest: str,
    organization: str,
    parent: str,
    resources: dict[str, dict[str, str]],
    rows: list[Sco],
) -> None:
    identifier = item.attrs.get("IDENTIFIER", "")
    data = [
        ("isvisible", item.attrs.get("ISVISIBLE", "true")),
        ("parameters", item.attrs.get("PARAMETERS", "")),
    ]
    launch, scormtype = "", "asset"
    reference = item.attrs.get("IDENTIFIERREF")
    if reference is not None:
        resource = resources.get(reference)
        launch = resource.get("XML:BASE", "") + resource.get("HREF", "") if resource else ""
        scormtype = (resource.get("ADLCP:SCORMTYPE") or "asset") if resource else ""
    for child in item.children:
        if child.name in _ITEM_EXTRAS:
            data.append((_ITEM_EXTRAS[child.name], child.text.strip()))
        elif child.name == "ADLCP:PREREQUISITES" and child.attrs.get("TYPE") == "aicc_script":
            data.append(("prerequisites", child.text.strip()))
    rows.append(Sco(manifest, organization, parent, identifier, launch, scormtype, _title(item), tuple(data)))
    for child in _children(item, "ITEM"):
        _walk_item(child, manifest, organization, identifier, resources, rows)


def _children(node: Node, name: str) -> list[Node]:
    return [child for child in node.children if child.name == name]


def _title(node: Node) -> str:
    titles = _children(node, "TITLE")
    return titles[0].text.strip() if titles else ""


def _unzip(filename: str, data: bytes) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
            if len(infos) > MAX_PACKAGE_FILES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                raise PackageReadError(f"{filename}: Paket ist zu groß für eine Kursvorlage")
            files: dict[str, bytes] = {}
            for info in infos:
                name = info.filename
                if name.startswith("/") or "\\" in name or ".." in name.split("/"):
                    raise PackageReadError(f"{filename}: unsicherer Pfad {name!r} im Paket")
                files[name] = archive.read(info)
            return files
    except zipfile.BadZipFile as error:
        raise PackageReadError(f"{filename}: kein lesbares ZIP-Archiv ({error})") from None
