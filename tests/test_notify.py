"""Notifications: German mails as .eml, and a real SMTP round trip against a local aiosmtpd server."""

from __future__ import annotations

import email
import email.policy
import re
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from scm_lms.cli.admit import admit as admit_command
from scm_lms.intake.notify import NotifyError, SmtpSettings

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data" / "registrations"
PASSWORD = "geheim-Smtp-4711"


@dataclass
class Inbox:
    """aiosmtpd handler that keeps every accepted message."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    unknown: set[str] = field(default_factory=set)
    """Mailboxes this server refuses with 550."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.unknown:
            return "550 5.1.1 Mailbox unbekannt"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"office"
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=_authenticate, auth_require_tls=False
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "examples" / "programme-2024.yaml", tmp_path / "programme.yaml")
    return tmp_path


def smtp_env(port: int) -> dict[str, str]:
    return {
        "SCM_SMTP_HOST": "127.0.0.1",
        "SCM_SMTP_PORT": str(port),
        "SCM_SMTP_STARTTLS": "false",
        "SCM_SMTP_USER": "office",
        "SCM_SMTP_PASSWORD": PASSWORD,
    }


def test_send_round_trip_and_nobody_is_mailed_twice(smtp_server: tuple[Inbox, int], workdir: Path) -> None:
    inbox, port = smtp_server
    runner = CliRunner()
    args = [str(workdir / "programme.yaml"), str(DATA / "valid-de-bom.csv"), "--send"]
    first = runner.invoke(admit_command, args, env=smtp_env(port))
    assert first.exit_code == 0, first.output
    assert "3 E-Mails versendet, 0 waren schon versendet." in first.output
    assert PASSWORD not in first.output

    assert sorted(rcpt for _, (rcpt,) in inbox.envelopes) == [
        "aenne.mueller@lra-bautzen.example.de",
        "juergen.weiss@goerlitz.example.de",
        "oezlem.yilmaz@koeln.example.de",
    ]
    assert {sender for sender, _ in inbox.envelopes} == {"programmbuero@smart-city-manager.example.de"}
    jurgen = next(m for m in inbox.messages if "juergen" in str(m["To"]))
    assert str(jurgen["To"]) == "Jürgen Weiß <juergen.weiss@goerlitz.example.de>"
    assert str(jurgen["Subject"]) == "Zusage: Qualifizierung Smart City Manager – Durchgang 2 (Sep/Okt 2024)"
    assert jurgen.get_content_charset() == "utf-8"
    assert (
        str(jurgen["From"])
        == "Koordinierungsstelle Smart Cities <programmbuero@smart-city-manager.example.de>"
    )
    assert re.fullmatch(
        r"<R-[0-9A-F]{10}\.admitted\.2024-D2@smart-city-manager\.example\.de>", str(jurgen["Message-ID"])
    )
    assert jurgen["Date"].datetime is not None and jurgen["Auto-Submitted"] == "auto-generated"
    body = jurgen.get_content().replace("\r\n", "\n")
    assert body.startswith("Guten Tag Jürgen Weiß,")
    assert "Platz 1 von 30 in 2024-D2" in body
    assert "   1. Dienstag, 10.09.2024, 09:00–13:00 Uhr" in body
    assert "  10. Dienstag, 15.10.2024, 09:00–13:00 Uhr" in body
    assert body.count(" Uhr\n") == 10
    assert "03.10.2024" not in body  # Tag der Deutschen Einheit skipped

    second = runner.invoke(admit_command, args, env=smtp_env(port))
    assert second.exit_code == 0, second.output
    assert "0 E-Mails versendet, 3 waren schon versendet." in second.output
    assert len(inbox.messages) == 3


def test_refused_recipient_is_reported_and_retried_later(
    smtp_server: tuple[Inbox, int], workdir: Path
) -> None:
    inbox, port = smtp_server
    inbox.unknown.add("aenne.mueller@lra-bautzen.example.de")
    args = [str(workdir / "programme.yaml"), str(DATA / "valid-de-bom.csv"), "--send"]
    first = CliRunner().invoke(admit_command, args, env={**smtp_env(port), "COLUMNS": "200"})
    assert first.exit_code == 0, first.output
    assert "2 E-Mails versendet, 0 waren schon versendet." in first.output
    assert (
        "Empfänger abgelehnt: R-" in first.output and "<aenne.mueller@lra-bautzen.example.de>" in first.output
    )
    inbox.unknown.clear()
    second = CliRunner().invoke(admit_command, args, env=smtp_env(port))
    assert "1 E-Mails versendet, 2 waren schon versendet." in second.output
    assert [rcpt for _, (rcpt,) in inbox.envelopes][-1] == "aenne.mueller@lra-bautzen.example.de"


def test_wrong_password_is_reported_without_the_password(
    smtp_server: tuple[Inbox, int], workdir: Path
) -> None:
    inbox, port = smtp_server
    env = {**smtp_env(port), "SCM_SMTP_PASSWORD": "falsch-und-geheim"}
    args = [str(workdir / "programme.yaml"), str(DATA / "valid-de-bom.csv"), "--send"]
    result = CliRunner().invoke(admit_command, args, env=env)
    assert result.exit_code == 1
    assert "Versand an 127.0.0.1" in result.output and "SMTPAuthenticationError 535" in result.output
    assert "falsch-und-geheim" not in result.output
    assert inbox.messages == []
    retry = CliRunner().invoke(admit_command, args, env=smtp_env(port))  # nothing was recorded as sent
    assert "3 E-Mails versendet" in retry.output


def test_waitlist_and_declined_mails(workdir: Path) -> None:
    programme = workdir / "programme.yaml"
    text = programme.read_text(encoding="utf-8").replace("seats: 30", "seats: 1")
    text = text.replace("registration_deadline: 2024-10-18", "registration_deadline: 2024-07-01")
    programme.write_text(
        text.replace("registration_deadline: 2024-08-23", "registration_deadline: 2024-07-01")
    )
    result = CliRunner().invoke(admit_command, [str(programme), str(DATA / "valid-de-bom.csv")])
    assert result.exit_code == 0, result.output
    mails = {path.name: path for path in (workdir / "mail").rglob("*.eml")}
    waiting = next(path for name, path in mails.items() if name.endswith("-waitlisted.eml"))
    message = email.message_from_bytes(waiting.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert str(message["Subject"]).startswith("Warteliste: ")
    assert "Guten Tag Änne Müller," in message.get_content()
    assert "Sie stehen auf der Warteliste, Position 1." in message.get_content()
    declined = next(path for name, path in mails.items() if name.endswith("-declined.eml"))
    message = email.message_from_bytes(declined.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert "Guten Tag Özlem Yılmaz," in message.get_content()
    assert "nach dem\r\nAnmeldeschluss am 01.07.2024 eingegangen" in message.get_content()


def test_smtp_config_file_must_be_private(tmp_path: Path) -> None:
    config = tmp_path / "smtp.yaml"
    config.write_text(f"host: mail.example.de\nuser: office\npassword: {PASSWORD}\n", encoding="utf-8")
    config.chmod(0o644)
    with pytest.raises(NotifyError, match="für andere lesbar"):
        SmtpSettings.from_file(config)
    config.chmod(0o600)
    settings = SmtpSettings.from_file(config)
    assert settings.port == 587 and settings.starttls
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings)
    config.write_text(f"host: mail.example.de\npasswort: {PASSWORD}\n", encoding="utf-8")
    with pytest.raises(NotifyError) as caught:
        SmtpSettings.from_file(config)
    assert PASSWORD not in str(caught.value) and "passwort" in str(caught.value)


def test_login_without_tls_to_a_remote_host_is_refused(workdir: Path) -> None:
    env = {**smtp_env(25), "SCM_SMTP_HOST": "mail.example.de"}
    args = [str(workdir / "programme.yaml"), str(DATA / "valid-de-bom.csv"), "--send"]
    result = CliRunner().invoke(admit_command, args, env=env)
    assert result.exit_code == 1 and "unverschlüsselt" in result.output
    assert PASSWORD not in result.output


def test_send_without_configuration_says_what_to_set(workdir: Path) -> None:
    args = [str(workdir / "programme.yaml"), str(DATA / "valid-de-bom.csv"), "--send"]
    result = CliRunner().invoke(admit_command, args, env={"SCM_SMTP_HOST": ""})
    assert result.exit_code == 1
    assert "SCM_SMTP_HOST" in result.output
