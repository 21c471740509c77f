"""Turn passing decisions into signed, registered certificates and their PDFs.

Idempotent: someone who already holds a current certificate for the Durchgang gets the same number again
(and the same PDF from the register). When their grades or name changed since, nothing happens unless the
admin asks for `reissue`, which revokes the old number and issues a new one in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from course_package.model import Course
from scm_base.atomic import write_atomic
from scm_lms.certify import pdf
from scm_lms.certify.collect import CertifyError
from scm_lms.certify.facts import Facts, ModuleFact, new_number
from scm_lms.certify.register import Issued, Register
from scm_lms.certify.rules import RULE_VERSION, Decision
from scm_lms.certify.signing import sign
from scm_lms.ledger.sqlite import utc_now
from scm_lms.programme import Programme

Action = Literal["neu", "vorhanden", "neu ausgestellt", "geändert", "nicht mehr bestanden"]
REISSUE_REASON = "Neuausstellung nach Änderung der Ergebnisse oder Angaben"


@dataclass(frozen=True)
class Outcome:
    idnumber: str
    number: str
    action: Action
    """neu: issued now; vorhanden: unchanged; neu ausgestellt: replaced (old revoked); geändert: inputs
    changed since issue, kept as it is until `--reissue`; nicht mehr bestanden: certified, but the rule no
    longer holds (never revoked automatically: an admin decides)."""
    pdf: Path | None
    replaced: str | None = None


@dataclass(frozen=True)
class Context:
    """Everything the certificate states besides the person."""

    programme: Programme
    durchgang: str
    course: Course
    today: dt.date
    key: Ed25519PrivateKey


def inputs_of(decision: Decision) -> dict[str, object]:
    inputs: dict[str, object] = {
        "percents": {str(module): text for module, text in sorted(decision.percents.items())},
        "completed": decision.completed,
        "rule_version": RULE_VERSION,
    }
    if decision.mornings is not None:
        inputs["mornings"] = list(decision.mornings)
    return inputs


def whole_hours(hours: float, what: str) -> int:
    """Certificates state whole hours; a fractional value in the curriculum must not be rounded silently."""
    if not float(hours).is_integer():
        raise CertifyError(
            f"{what} hat {hours:g} Stunden; das Zertifikat nennt nur ganze Stunden (course.yaml)"
        )
    return int(hours)


def facts_for(context: Context, name: str, number: str, mornings: tuple[int, int] | None = None) -> Facts:
    """The signed facts; the period is the Durchgang's first to last morning from the programme file."""
    first, last = context.programme.schedule(context.durchgang).period
    modules = tuple(
        ModuleFact(m.number, m.title, whole_hours(m.hours, f"Modul {m.number}"))
        for m in context.course.modules
    )
    return Facts(
        name=name,
        programme=context.course.title,
        durchgang=context.durchgang,
        date=context.today.isoformat(),
        number=number,
        issuer=context.programme.issuer,
        hours=whole_hours(context.course.hours, "Kurs"),
        modules=modules,
        period=(first.isoformat(), last.isoformat()),
        mornings=mornings,
    )


def _changed(current: Issued, decision: Decision, name: str) -> bool:
    stored = json.loads(json.dumps(dict(current.inputs)))
    return stored != json.loads(json.dumps(inputs_of(decision))) or current.facts.name != name


def _new(context: Context, decision: Decision, name: str) -> Issued:
    facts = facts_for(context, name, new_number(context.durchgang), decision.mornings)
    canonical = facts.canonical()
    return Issued(
        number=facts.number,
        reg_id=decision.idnumber,
        durchgang=context.durchgang,
        facts_json=canonical.decode("utf-8"),
        signature=sign(context.key, canonical),
        rule_version=RULE_VERSION,
        inputs=inputs_of(decision),
        issued_at=utc_now(),
    )


def write_pdf(issued: Issued, context: Context, out: Path) -> Path:
    """Render from the register's own facts, so a re-run reproduces the issued certificate."""
    programme = context.programme
    certification = programme.certification
    data = pdf.render(
        issued.facts,
        issued.signature,
        durchgang_title=programme.durchgang(issued.durchgang).title,
        verify_url=certification.verify_url,
        period=programme.schedule(issued.durchgang).period,
        logo=Path(certification.logo) if certification.logo else None,
        signatories=[(s.name, s.function) for s in certification.signatories],
    )
    path = out / f"{issued.number}.pdf"
    write_atomic(path, data, mode=0o600)
    return path


def issue(
    decisions: Sequence[Decision],
    names: Mapping[str, str],
    context: Context,
    register: Register,
    *,
    out: Path | None,
    reissue: bool = False,
) -> list[Outcome]:
    """Certificates for the passing decisions; `names` maps idnumber → full name from the ledger (Moodle's
    name is the fallback)."""
    outcomes: list[Outcome] = []
    for decision in decisions:
        current = register.current(decision.idnumber, context.durchgang)
        if not decision.passed:
            if current is not None:
                outcomes.append(Outcome(decision.idnumber, current.number, "nicht mehr bestanden", None))
            continue
        name = names.get(decision.idnumber) or decision.fullname
        if current is not None and not _changed(current, decision, name):
            action: Action = "vorhanden"
            issued, replaced = current, None
        elif current is not None and not reissue:
            outcomes.append(Outcome(decision.idnumber, current.number, "geändert", None))
            continue
        else:
            issued = _new(context, decision, name)
            replaced = current.number if current is not None else None
            register.add(issued, replaces=replaced, reason=REISSUE_REASON)
            action = "neu" if replaced is None else "neu ausgestellt"
        path = write_pdf(issued, context, out) if out is not None else None
        outcomes.append(Outcome(decision.idnumber, issued.number, action, path, replaced))
    return outcomes
