"""The certificate's layout from the programme file: Durchgang period, issuer logo, two signature lines;
still one A4 page with embedded fonts, byte-reproducible, and verified by `cert verify`."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from pypdf import PdfReader

from course_package.source import load_course
from scm_lms.certify.grades import course_grades
from scm_lms.certify.issue import Context, issue, write_pdf
from scm_lms.certify.register import Register
from scm_lms.certify.rules import Attendance, decide
from scm_lms.certify.verify import verify_pdf
from scm_lms.programme import Certification, ProgrammeError, load_programme
from testkit.certify_grades import MODULES, all_modules, report

EXAMPLE = Path(__file__).parents[1] / "examples" / "programme-2024.yaml"
SIGNERS = [
    {"name": "Dr. Erika Mustermann", "function": "Leiterin der Akademie"},
    {"name": "Jörg Weiß", "function": "Programmkoordination"},
]


def _programme(tmp_path: Path, **certification: object) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["certification"].update(certification)
    target = tmp_path / "programm.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture
def logo(tmp_path: Path) -> Path:
    path = tmp_path / "bilder" / "logo.png"
    path.parent.mkdir()
    Image.new("RGB", (300, 100), (11, 79, 156)).save(path)
    return path


def test_period_logo_and_signatories_on_one_a4_page(tmp_path: Path, logo: Path) -> None:
    programme = load_programme(_programme(tmp_path, logo="bilder/logo.png", signatories=SIGNERS))
    assert programme.certification.logo == str(logo.resolve())
    key = Ed25519PrivateKey.generate()
    context = Context(programme, "2024-D2", load_course(), dt.date(2024, 10, 31), key)
    graded = course_grades(report({"R-00000000A1": all_modules(90)}), {}, modules=MODULES)
    rules, mornings = Certification(require_completion=False), Attendance(10, 0, 10)  # the longest page
    decisions = [decide(p, rules, attendance=mornings, modules=MODULES) for p in graded.participants]
    with Register.open(tmp_path / "scm-lms.db") as register:
        (outcome,) = issue(decisions, {"R-00000000A1": "Änne Groß"}, context, register, out=tmp_path)
        issued = register.get(outcome.number)
        assert issued is not None and outcome.pdf is not None
        first = outcome.pdf.read_bytes()
        again = write_pdf(issued, context, tmp_path).read_bytes()
        assert first == again, "reproducible: same register row, same bytes"
        assert verify_pdf(first, key.public_key(), register).status == "valid"
    plan = programme.schedule("2024-D2")
    reader = PdfReader(io.BytesIO(first))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842), "A4"
    text = " ".join(reader.pages[0].extract_text().split())
    day = f"{plan.first_day.day}. "
    assert f"Zeitraum: {day}" in text and f"bis {plan.last_day.day}. " in text
    assert "Teilgenommen an 10 von 10 Live-Vormittagen" in text
    for signer in SIGNERS:
        assert signer["name"] in text and signer["function"] in text
    resources = reader.pages[0]["/Resources"]
    images = [name for name in resources["/XObject"]]  # type: ignore[index]
    assert len(images) == 2, "logo and QR code"
    fonts = resources["/Font"].values()  # type: ignore[index]
    for font in fonts:
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"], "fonts are embedded"


def test_without_logo_and_signatories_nothing_extra_is_drawn(tmp_path: Path) -> None:
    programme = load_programme(EXAMPLE)
    assert programme.certification.logo == "" and programme.certification.signatories == []


@pytest.mark.parametrize(
    ("certification", "message"),
    [
        ({"logo": "fehlt.png"}, "certification.logo: Datei"),
        ({"signatories": [*SIGNERS, {"name": "Dritte", "function": "zu viel"}]}, "signatories"),
        ({"signatories": [{"name": "Nur Name"}]}, "function"),
        ({"signatories": [{"name": "", "function": "Leitung"}]}, "name"),
    ],
)
def test_bad_layout_settings_are_german_errors_naming_the_field(
    tmp_path: Path, certification: dict[str, object], message: str
) -> None:
    with pytest.raises(ProgrammeError) as caught:
        load_programme(_programme(tmp_path, **certification))
    assert message in str(caught.value)


def test_logo_that_is_not_an_image_is_refused(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_text("kein Bild", encoding="utf-8")
    with pytest.raises(ProgrammeError, match="kein PNG- oder JPEG-Bild"):
        load_programme(_programme(tmp_path, logo="logo.png"))
