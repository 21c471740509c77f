"""Issuing: the PDF read back with pypdf, signature and register checks, tampering of every byte of the facts,
idempotent re-runs, and re-issue after a grade change."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject

from course_package.model import Course
from course_package.source import load_course
from scm_lms.certify.facts import Facts, check_char, new_number, number_is_well_formed
from scm_lms.certify.grades import course_grades
from scm_lms.certify.issue import Context, Outcome, issue
from scm_lms.certify.pdf import ATTACHMENT, FORMAT
from scm_lms.certify.register import Register, RegisterError
from scm_lms.certify.rules import Decision, decide
from scm_lms.certify.signing import Signature, sign
from scm_lms.certify.verify import verify_code, verify_pdf
from scm_lms.programme import Certification, load_programme
from testkit.certify_grades import MODULES, all_modules, report

EXAMPLE = Path(__file__).parents[1] / "examples" / "programme-2024.yaml"
RULES = Certification(require_completion=False)
NAMES = {"R-00000000A1": "Jürgen Weiß", "R-00000000B2": "Änne Müller-Groß"}


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course()


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def context(course: Course, key: Ed25519PrivateKey) -> Context:
    return Context(load_programme(EXAMPLE), "2024-D2", course, dt.date(2024, 10, 31), key)


def decisions(grades: dict[str, float]) -> list[Decision]:
    graded = course_grades(report({reg: all_modules(g) for reg, g in grades.items()}), {}, modules=MODULES)
    return [decide(p, RULES, modules=MODULES) for p in graded.participants]


def issue_all(
    context: Context, register: Register, out: Path, grades: dict[str, float], *, reissue: bool = False
) -> list[Outcome]:
    return issue(decisions(grades), NAMES, context, register, out=out, reissue=reissue)


def issue_one(context: Context, folder: Path) -> Outcome:
    """Jürgen Weiß's certificate, registered in `folder`/scm-lms.db."""
    with Register.open(folder / "scm-lms.db") as register:
        (outcome,) = issue_all(context, register, folder, {"R-00000000A1": 85})
    return outcome


def test_pdf_text_umlauts_modules_number_and_metadata(
    tmp_path: Path, context: Context, course: Course
) -> None:
    with Register.open(tmp_path / "scm-lms.db") as register:
        (outcome,) = issue_all(context, register, tmp_path / "out", {"R-00000000A1": 85, "R-00000000B2": 50})
    assert outcome.idnumber == "R-00000000A1" and outcome.action == "neu"
    assert outcome.pdf is not None and outcome.pdf.name == f"{outcome.number}.pdf"
    assert outcome.pdf.stat().st_mode & 0o077 == 0
    reader = PdfReader(outcome.pdf)
    text = reader.pages[0].extract_text()
    flat = " ".join(text.split())
    assert "Zertifikat" in flat and "Jürgen Weiß" in flat
    assert "Koordinierungsstelle Smart Cities" in flat
    assert "Durchgang 2 (Sep/Okt 2024) (2024-D2)" in flat
    assert "Ausgestellt am 31. Oktober 2024" in flat
    assert f"Zertifikatsnummer: {outcome.number}" in flat
    for module in course.modules:
        assert " ".join(f"{module.number} {module.title} 8".split()) in flat
    assert "Gesamt 40" in flat and "mit 40 Stunden" in flat
    reading_order = ["Koordinierungsstelle", "Zertifikat", "Hiermit", "Jürgen Weiß", "Inhalte", "Modul Titel"]
    reading_order += ["Gesamt 40", "Ausgestellt am", "Zertifikatsnummer", "Echtheit prüfen"]
    positions = [flat.index(part) for part in reading_order]
    assert positions == sorted(positions), "text must come out in reading order"
    assert (
        reader.metadata is not None and reader.metadata.title == "Zertifikat Smart City Manager – Jürgen Weiß"
    )
    root = reader.trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject) and str(root["/Lang"]) == "de-DE"
    assert reader.pdf_header >= "%PDF-1.4"
    resources = reader.pages[0]["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    font_dict = resources["/Font"].get_object()
    assert isinstance(font_dict, DictionaryObject)
    fonts = {str(f.get_object()["/BaseFont"]) for f in font_dict.values()}
    assert all("DejaVu" in name for name in fonts)
    record = json.loads(reader.attachments[ATTACHMENT][0])
    assert record["format"] == FORMAT
    facts = json.loads(record["facts"])
    base = {"name", "programme", "durchgang", "date", "number", "issuer", "hours", "modules"}
    assert set(facts) == base | {"period"}  # mornings only when attendance was checked
    assert facts["period"] == {"first": "2024-09-10", "last": "2024-10-15"}
    assert facts["name"] == "Jürgen Weiß" and facts["hours"] == 40 and len(facts["modules"]) == 5


def test_facts_are_canonical_json() -> None:
    from scm_lms.certify.facts import ModuleFact

    facts = Facts("Ä B", "P", "2024-D2", "2024-10-31", "N", "I", 40, (ModuleFact(1, "Grundlagen", 8),))
    assert (
        facts.canonical()
        == (
            '{"date":"2024-10-31","durchgang":"2024-D2","hours":40,"issuer":"I","modules":[{"hours":8,'
            '"number":1,"title":"Grundlagen"}],"name":"Ä B","number":"N","programme":"P"}'
        ).encode()
    )


def test_genuine_pdf_is_valid_with_and_without_register(
    tmp_path: Path, context: Context, key: Ed25519PrivateKey
) -> None:
    with Register.open(tmp_path / "scm-lms.db") as register:
        (outcome,) = issue_all(context, register, tmp_path, {"R-00000000A1": 85})
        assert outcome.pdf is not None
        data = outcome.pdf.read_bytes()
        verdict = verify_pdf(data, key.public_key(), register)
        assert verdict.status == "valid", verdict.reason
        assert verdict.facts is not None and verdict.facts.name == "Jürgen Weiß"
        assert verify_code(outcome.number.lower(), key.public_key(), register).status == "valid"
    assert verify_pdf(data, key.public_key()).status == "valid"


def _facts_span(data: bytes) -> tuple[int, int]:
    """Where the embedded facts sit in the raw PDF (fpdf2 stores the attachment uncompressed)."""
    start = data.index(b'"facts": "') + len(b'"facts": "')
    return start, data.index(b'",\n', start)


def _flip(data: bytes, index: int) -> bytes:
    """Replace one byte with another harmless ASCII letter, keeping the PDF's length and structure."""
    changed = bytearray(data)
    changed[index] = ord("Q") if changed[index] != ord("Q") else ord("R")
    return bytes(changed)


def test_every_flipped_byte_of_the_facts_is_detected(
    tmp_path: Path, context: Context, key: Ed25519PrivateKey
) -> None:
    outcome = issue_one(context, tmp_path)
    assert outcome.pdf is not None
    data = outcome.pdf.read_bytes()
    public = key.public_key()
    start, end = _facts_span(data)
    assert b"J\xc3\xbcrgen Wei\xc3\x9f" in data[start:end]
    assert verify_pdf(data, public).status == "valid"
    for index in range(start, end):
        verdict = verify_pdf(_flip(data, index), public)
        assert verdict.status == "tampered", (index - start, verdict)


def test_genuine_data_in_a_forged_page_is_detected(
    tmp_path: Path, context: Context, key: Ed25519PrivateKey
) -> None:
    """Someone copies a genuine certificate's embedded data into a PDF showing another name."""
    from fpdf import FPDF

    from scm_base.pdf import FONTS
    from scm_lms.certify.pdf import attachment

    with Register.open(tmp_path / "scm-lms.db") as register:
        (outcome,) = issue_all(context, register, tmp_path, {"R-00000000A1": 85})
        genuine = register.get(outcome.number)
    assert genuine is not None
    forged = FPDF()
    forged.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    forged.set_font("DejaVu", size=12)
    forged.add_page()
    forged.cell(text=f"Zertifikat für Mallory Mustermann, Nr. {outcome.number}")
    forged.embed_file(bytes=attachment(genuine.facts, genuine.signature), basename=ATTACHMENT)
    verdict = verify_pdf(bytes(forged.output()), key.public_key())
    assert verdict.status == "tampered"
    assert verdict.reason == "sichtbarer Text passt nicht zu den signierten Angaben (Name)"


def test_wrong_key_unknown_foreign_pdf_and_garbage(tmp_path: Path, context: Context) -> None:
    with Register.open(tmp_path / "scm-lms.db") as register:
        (outcome,) = issue_all(context, register, tmp_path, {"R-00000000A1": 85})
        assert outcome.pdf is not None
        other = Ed25519PrivateKey.generate().public_key()
        verdict = verify_pdf(outcome.pdf.read_bytes(), other, register)
        assert verdict.status == "unknown" and "anderen Schlüssel" in verdict.reason
        plain = PdfWriter()
        plain.add_blank_page(210, 297)
        buffer = io.BytesIO()
        plain.write(buffer)
        assert verify_pdf(buffer.getvalue(), other).status == "unknown"
        assert verify_pdf(b"%PDF-1.7 kaputt", other).status == "tampered"
        typo = outcome.number[:-2] + ("0" if outcome.number[-2] != "0" else "1") + outcome.number[-1]
        assert verify_code(typo, other, register).reason.endswith("(Prüfzeichen falsch, Tippfehler?)")


def test_rerun_keeps_number_and_pdf(tmp_path: Path, context: Context) -> None:
    with Register.open(tmp_path / "scm-lms.db") as register:
        (first,) = issue_all(context, register, tmp_path / "a", {"R-00000000A1": 85})
        later = Context(
            context.programme, context.durchgang, context.course, dt.date(2024, 11, 20), context.key
        )
        (second,) = issue_all(later, register, tmp_path / "b", {"R-00000000A1": 85})
        assert second.action == "vorhanden" and second.number == first.number
        assert first.pdf is not None and second.pdf is not None
        assert first.pdf.read_bytes() == second.pdf.read_bytes()
        assert len(register.all()) == 1


def test_grade_change_reissues_only_when_asked(
    tmp_path: Path, context: Context, key: Ed25519PrivateKey
) -> None:
    with Register.open(tmp_path / "scm-lms.db") as register:
        (first,) = issue_all(context, register, tmp_path, {"R-00000000A1": 85})
        (changed,) = issue_all(context, register, tmp_path, {"R-00000000A1": 95})
        assert changed.action == "geändert" and changed.number == first.number and changed.pdf is None
        assert len(register.all()) == 1
        (again,) = issue_all(context, register, tmp_path, {"R-00000000A1": 95}, reissue=True)
        assert again.action == "neu ausgestellt" and again.replaced == first.number
        assert again.number != first.number
        old = register.get(first.number)
        assert old is not None and old.revoked and old.replaced_by == again.number
        assert first.pdf is not None
        verdict = verify_pdf(first.pdf.read_bytes(), key.public_key(), register)
        assert verdict.status == "revoked" and "Neuausstellung" in verdict.reason
        (stable,) = issue_all(context, register, tmp_path, {"R-00000000A1": 95}, reissue=True)
        assert stable.action == "vorhanden" and stable.number == again.number


def test_register_rows_are_only_ever_revoked(tmp_path: Path, context: Context) -> None:
    with Register.open(tmp_path / "scm-lms.db") as register:
        (outcome,) = issue_all(context, register, tmp_path, {"R-00000000A1": 85})
        with pytest.raises(RegisterError, match="braucht einen Grund"):
            register.revoke(outcome.number, "  ")
        register.revoke(outcome.number, "Täuschung festgestellt")
        with pytest.raises(RegisterError, match="bereits gesperrt"):
            register.revoke(outcome.number, "nochmal")
    import sqlite3

    db = sqlite3.connect(tmp_path / "scm-lms.db")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        db.execute("DELETE FROM certificates")
    with pytest.raises(sqlite3.IntegrityError, match="only be revoked"):
        db.execute("UPDATE certificates SET facts = '{}'")
    assert (tmp_path / "scm-lms.db").stat().st_mode & 0o077 == 0


def test_number_format_and_check_character() -> None:
    numbers = {new_number("2024-D2") for _ in range(200)}
    assert len(numbers) == 200
    for number in numbers:
        assert number.startswith("SCM-2024-D2-") and len(number) == len("SCM-2024-D2-7K3F-9QX2")
        assert number_is_well_formed(number)
        stem = number[:-1]
        # Any single mistyped character of the random part is caught.
        for position in range(len("SCM-2024-D2-"), len(stem)):
            if stem[position] == "-":
                continue
            for replacement in "0123456789ABCDEFGHJKMNPQRSTVWXYZ":
                if replacement != stem[position]:
                    typo = stem[:position] + replacement + stem[position + 1 :]
                    assert check_char(typo) != number[-1]
    assert not number_is_well_formed("")
    assert not number_is_well_formed("SCM-2024-D2-AAAA-AAAI")


def test_signature_depends_on_every_fact() -> None:
    from scm_lms.certify.signing import is_valid

    key = Ed25519PrivateKey.generate()
    message = b'{"name":"A"}'
    signature = sign(key, message)
    assert is_valid(key.public_key(), message, signature)
    assert not is_valid(key.public_key(), b'{"name":"B"}', signature)
    assert not is_valid(Ed25519PrivateKey.generate().public_key(), message, signature)
    assert not is_valid(key.public_key(), message, Signature(signature.key_id, "kein base64!"))


def test_certified_person_who_no_longer_passes_is_flagged_not_revoked(
    tmp_path: Path, context: Context
) -> None:
    with Register.open(tmp_path / "scm-lms.db") as register:
        (first,) = issue_all(context, register, tmp_path, {"R-00000000A1": 85})
        (flagged,) = issue_all(context, register, tmp_path, {"R-00000000A1": 70})
        assert flagged.action == "nicht mehr bestanden" and flagged.number == first.number
        current = register.current("R-00000000A1", "2024-D2")
        assert current is not None and not current.revoked


def test_qr_code_points_to_the_verification_page() -> None:
    from scm_lms.certify.pdf import verify_target

    number = "SCM-2024-D2-7K3F-9QX2"
    assert verify_target(number, "") == number
    assert verify_target(number, "https://zertifikate.example.de/pruefen") == (
        "https://zertifikate.example.de/pruefen?code=SCM-2024-D2-7K3F-9QX2"
    )
    assert verify_target(number, "https://example.de/p?lang=de").endswith("?lang=de&code=" + number)


def test_qr_image_in_the_pdf_encodes_the_verification_link(tmp_path: Path, context: Context) -> None:
    import segno
    from PIL import Image

    url = "https://zertifikate.example.de/pruefen"
    rules = context.programme.certification.model_copy(update={"verify_url": url})
    programme = context.programme.model_copy(update={"certification": rules})
    with_url = Context(programme, context.durchgang, context.course, context.today, context.key)
    outcome = issue_one(with_url, tmp_path)
    assert outcome.pdf is not None
    (shown,) = PdfReader(outcome.pdf).pages[0].images
    assert shown.image is not None
    expected = io.BytesIO()
    segno.make(f"{url}?code={outcome.number}", error="m").save(expected, kind="png", scale=8, border=2)
    wanted = Image.open(expected).convert("L")
    assert shown.image.size == wanted.size
    assert shown.image.convert("L").tobytes() == wanted.tobytes()
    assert f"Echtheit prüfen: {url}" in PdfReader(outcome.pdf).pages[0].extract_text()


def test_fractional_hours_are_refused_not_rounded() -> None:
    from scm_lms.certify.collect import CertifyError
    from scm_lms.certify.issue import whole_hours

    assert whole_hours(8.0, "Modul 1") == 8
    with pytest.raises(
        CertifyError, match=r"Modul 2 hat 7.5 Stunden; das Zertifikat nennt nur ganze Stunden"
    ):
        whole_hours(7.5, "Modul 2")
