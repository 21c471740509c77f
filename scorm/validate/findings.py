"""The result of validating one package: findings with level, code, file and line, readable and as JSON.

Messages are German because admins read them; codes are stable English keys for machines and tests.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    level: Level
    code: str
    message: str
    file: str | None = None
    line: int | None = None

    def location(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class Report:
    """Everything found in one package; `valid` means no error-level finding."""

    path: Path
    kind: str = "unbekannt"
    """SCORM_1.2, SCORM_1.3 or IMSCC_1.1 (Moodle's names); "unbekannt" if detection did not get that far."""
    schemaversion: str | None = None
    launch: str | None = None
    findings: list[Finding] = field(default_factory=list)
    checks_run: int = 0
    checks_passed: int = 0

    def add(
        self, level: Level, code: str, message: str, file: str | None = None, line: int | None = None
    ) -> None:
        self.findings.append(Finding(level, code, message, file, line))

    def error(self, code: str, message: str, file: str | None = None, line: int | None = None) -> None:
        self.add("error", code, message, file, line)

    def warning(self, code: str, message: str, file: str | None = None, line: int | None = None) -> None:
        self.add("warning", code, message, file, line)

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.level == "error"]

    @property
    def valid(self) -> bool:
        return not self.errors

    def codes(self) -> set[str]:
        return {finding.code for finding in self.findings}

    def to_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "valid": self.valid,
            "kind": self.kind,
            "schemaversion": self.schemaversion,
            "launch": self.launch,
            "checks_run": self.checks_run,
            "checks_passed": self.checks_passed,
            "findings": [asdict(finding) for finding in self.findings],
        }
