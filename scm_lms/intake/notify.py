"""Participant mails about admission decisions: composed from German templates, saved as .eml, sent by SMTP.

Writing .eml files first lets the office read every mail before anything leaves; `send` then delivers only
what the ledger has not recorded as sent, so a re-run never mails anyone twice. SMTP credentials come from
the environment or a config file only its owner may read, and are never printed or written anywhere.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import ssl
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError

from scm_base.atomic import write_atomic
from scm_base.errors import ToolkitError
from scm_lms.intake.admission import Decision
from scm_lms.intake.registrations import Registration
from scm_lms.ledger import Ledger
from scm_lms.programme import Programme

TEMPLATES = Path(__file__).parents[1] / "templates" / "mail"
MAILED_STATUSES = ("admitted", "waitlisted", "declined")
"""A withdrawal came from the person themself, so it needs no mail."""


class NotifyError(ToolkitError, RuntimeError):
    pass


@dataclass(frozen=True)
class Notice:
    decision: Decision
    registration: Registration
    message: EmailMessage

    @property
    def filename(self) -> str:
        return f"{self.decision.durchgang}/{self.registration.reg_id}-{self.decision.status}.eml"


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=False,  # plain-text mails, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def compose(
    programme: Programme, registrations: Sequence[Registration], decisions: Mapping[str, Decision]
) -> list[Notice]:
    """One mail per current decision worth telling: not withdrawals, not Durchgänge removed from the file."""
    environment = _environment()
    domain = programme.contact_email.rpartition("@")[2]
    notices = []
    for registration in sorted(registrations, key=lambda item: item.reg_id):
        decision = decisions.get(registration.reg_id)
        if (
            decision is None
            or decision.status not in MAILED_STATUSES
            or decision.durchgang not in programme.keys
        ):
            continue
        template = environment.get_template(f"{decision.status}.txt.j2")
        context = {
            "programme": programme,
            "durchgang": programme.durchgang(decision.durchgang),
            "sessions": programme.schedule(decision.durchgang).sessions,
            "registration": registration,
            "decision": decision,
        }
        body = template.render(context)
        subject = str(template.make_module(context).subject)  # type: ignore[attr-defined]
        message = EmailMessage(policy=SMTP_POLICY)
        message["From"] = Address(programme.issuer, addr_spec=programme.contact_email)
        message["To"] = Address(
            f"{registration.first_name} {registration.last_name}", addr_spec=registration.email
        )
        message["Subject"] = subject
        message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
        message["Message-ID"] = f"<{registration.reg_id}.{decision.status}.{decision.durchgang}@{domain}>"
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(body, charset="utf-8")
        notices.append(Notice(decision, registration, message))
    return notices


def write_eml(notices: Iterable[Notice], folder: Path) -> list[Path]:
    paths = []
    for notice in notices:
        path = folder / notice.filename
        write_atomic(path, notice.message.as_bytes(), mode=0o600)
        paths.append(path)
    return paths


# --- SMTP ---------------------------------------------------------------------------------------------------


class SmtpSettings(BaseModel):
    """Where to deliver; the password is a SecretStr, so reprs and logs show asterisks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str
    port: int = 587
    starttls: bool = True
    user: str | None = None
    password: SecretStr | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> SmtpSettings:
        host = environ.get("SCM_SMTP_HOST")
        if not host:
            raise NotifyError(
                "kein SMTP-Server konfiguriert: SCM_SMTP_HOST (und ggf. SCM_SMTP_PORT, SCM_SMTP_STARTTLS, "
                "SCM_SMTP_USER, SCM_SMTP_PASSWORD) setzen oder --smtp-config DATEI angeben"
            )
        try:
            return cls(
                host=host,
                port=int(environ.get("SCM_SMTP_PORT", "587")),
                starttls=environ.get("SCM_SMTP_STARTTLS", "true").lower() not in ("0", "false", "no", "nein"),
                user=environ.get("SCM_SMTP_USER") or None,
                password=SecretStr(environ["SCM_SMTP_PASSWORD"])
                if environ.get("SCM_SMTP_PASSWORD")
                else None,
            )
        except ValueError as error:
            raise NotifyError(f"SCM_SMTP_PORT ist keine Zahl: {environ.get('SCM_SMTP_PORT')!r}") from error

    @classmethod
    def from_file(cls, path: Path) -> SmtpSettings:
        """YAML with host, port, starttls, user, password; refused unless only its owner can read it."""
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError as error:
            raise NotifyError(f"{path}: kann nicht gelesen werden: {error.strerror}") from error
        if mode & 0o077:
            raise NotifyError(
                f"{path}: enthält Zugangsdaten, ist aber für andere lesbar (Modus {mode:o}); chmod 600"
            )
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            return cls.model_validate(data)
        except (yaml.YAMLError, ValidationError) as error:
            fields = ", ".join(
                str(item["loc"][0]) for item in getattr(error, "errors", list)() if item["loc"]
            )
            detail = f"Felder: {fields}" if fields else "kein gültiges YAML"
            raise NotifyError(f"{path}: ungültige SMTP-Konfiguration ({detail})") from None


Connect = Callable[[str, int], smtplib.SMTP]
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _connect(host: str, port: int) -> smtplib.SMTP:
    return smtplib.SMTP(host, port, timeout=30)


@dataclass(frozen=True)
class Delivery:
    sent: tuple[Notice, ...]
    refused: tuple[Notice, ...]
    """The server refused the recipient (e.g. unknown mailbox); not recorded, so a later run retries."""
    already: int
    """Notices skipped because the ledger says they were sent before."""


def send(
    notices: Sequence[Notice], settings: SmtpSettings, ledger: Ledger, connect: Connect = _connect
) -> Delivery:
    """Deliver what the ledger has not recorded yet; each mail is recorded once the server accepts it."""
    pending = [
        notice
        for notice in notices
        if not ledger.notified(notice.registration.reg_id, notice.decision.status, notice.decision.durchgang)
    ]
    already = len(notices) - len(pending)
    if not pending:
        return Delivery((), (), already)
    if settings.user and not settings.starttls and settings.host not in _LOOPBACK:
        raise NotifyError(
            f"Anmeldung an {settings.host} ohne STARTTLS würde das Passwort unverschlüsselt senden; "
            "SCM_SMTP_STARTTLS=true bzw. starttls: true setzen"
        )
    sent: list[Notice] = []
    refused: list[Notice] = []
    try:
        with connect(settings.host, settings.port) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                secret = settings.password.get_secret_value() if settings.password else ""
                smtp.login(settings.user, secret)
            for notice in pending:
                try:
                    smtp.send_message(notice.message)
                except smtplib.SMTPRecipientsRefused:
                    refused.append(notice)
                    continue
                ledger.record_notification(notice.decision, str(notice.message["Message-ID"]))
                sent.append(notice)
    except (smtplib.SMTPException, OSError) as error:
        reason = type(error).__name__
        code = getattr(error, "smtp_code", None)
        raise NotifyError(
            f"Versand an {settings.host}:{settings.port} abgebrochen nach {len(sent)} von {len(pending)} "
            f"E-Mails ({reason}{f' {code}' if code else ''}); ein erneuter Aufruf sendet nur den Rest"
        ) from None
    return Delivery(tuple(sent), tuple(refused), already)
