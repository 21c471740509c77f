"""The generated "Zertifikat prüfen" page in Chromium: verdicts, signed lists, lookup, key rotation."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from course_package.source import load_course
from scm_lms.certify import pdf
from scm_lms.certify.grades import course_grades
from scm_lms.certify.issue import Context, Outcome, issue
from scm_lms.certify.register import Register
from scm_lms.certify.rules import Attendance, decide
from scm_lms.certify.signing import load_private
from scm_lms.programme import Certification, load_programme
from testkit.certify_grades import MODULES, all_modules, report
from testkit.chromium import axe_violations
from testkit.cli_run import run

pytestmark = pytest.mark.browser
EXAMPLE = Path(__file__).parents[1] / "examples" / "programme-2024.yaml"
PEOPLE = {"R-00000000A1": "Özlem Yılmaz", "R-00000000B2": "Jan Berg"}


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Like conftest's tab, but past the page's Content-Security-Policy so axe-core can be injected."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(5000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"script errors in the page: {errors}"


def _keygen(path: Path) -> Path:
    code, output = run("cert", "keygen", "--key", path)
    assert code == 0, output
    return path


def _issue(db: Path, key: Path, out: Path, people: dict[str, str]) -> list[Outcome]:
    context = Context(
        load_programme(EXAMPLE), "2024-D2", load_course(), dt.date(2024, 10, 31), load_private(key)
    )
    graded = course_grades(report({reg: all_modules(90) for reg in people}), {}, modules=MODULES)
    rules, mornings = Certification(require_completion=False), Attendance(9, 0, 10)
    decisions = [decide(p, rules, attendance=mornings, modules=MODULES) for p in graded.participants]
    with Register.open(db) as register:
        return issue(decisions, people, context, register, out=out)


@dataclasses.dataclass
class Site:
    key: Path
    db: Path
    outcomes: list[Outcome]
    out: Path
    tmp: Path


@pytest.fixture
def site(tmp_path: Path) -> Site:
    key = _keygen(tmp_path / "keys" / "signatur.key")
    db = tmp_path / "scm-lms.db"
    outcomes = _issue(db, key, tmp_path / "pdf", PEOPLE)
    return Site(key, db, outcomes, tmp_path / "seite", tmp_path)


def _page(site: Site, *extra: str) -> Path:
    out = site.out
    code, output = run("cert", "page", out, "--db", site.db, "--key", site.key, *extra)
    assert code == 0, output
    return out


def _open(page: Page, out: Path, query: str = "") -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(out.joinpath("index.html").as_uri() + query)
    page.wait_for_selector("body[data-ready]")
    assert all(url.startswith(out.as_uri() + "/") for url in requests), requests


def _check_pdf(page: Page, path: Path) -> str:
    page.set_input_files("#pdf-file", str(path))
    page.wait_for_selector("#result .verdict")
    return page.locator("#result .verdict").get_attribute("data-status") or ""


def _lookup(page: Page, number: str) -> str:
    page.fill("#number", number)
    page.keyboard.press("Enter")
    page.wait_for_selector("#result .verdict")
    return page.locator("#result .verdict").get_attribute("data-status") or ""


def _outcomes(site: Site) -> list[Outcome]:
    return site.outcomes


def test_genuine_pdf_is_valid_and_page_is_accessible(page: Page, site: Site) -> None:
    out = _page(site)
    _open(page, out)
    assert page.title() == "Zertifikat prüfen"
    assert axe_violations(page) == []
    first = _outcomes(site)[0]
    assert first.pdf is not None
    assert _check_pdf(page, first.pdf) == "valid"
    result = page.locator("#result")
    assert result.get_attribute("aria-live") == "polite"
    text = result.inner_text()
    assert "gültig" in text and "Signatur: gültig" in text and "Sperrliste: Nummer nicht gesperrt" in text
    assert first.number in text
    assert "Zeitraum" in text and "10. September 2024 bis 15. Oktober 2024" in text  # signed since issue 11
    assert "Live-Vormittage" in text and "9 von 10" in text
    assert page.evaluate("document.activeElement.tagName") == "H3", "focus moves to the verdict"
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert axe_violations(page) == []


def test_changed_facts_are_reported_as_changed(page: Page, site: Site) -> None:
    out = _page(site)
    first = _outcomes(site)[0]
    with Register.open(site.db) as register:
        issued = register.get(first.number)
    assert issued is not None
    forged = dataclasses.replace(issued.facts, name="Mallory Muster")
    path = site.tmp / "gefaelscht.pdf"
    path.write_bytes(pdf.render(forged, issued.signature, durchgang_title="2. Durchgang", verify_url=""))
    _open(page, out)
    assert _check_pdf(page, path) == "tampered"
    text = page.locator("#result").inner_text()
    assert "verändert oder nicht von uns ausgestellt" in text and "Signatur" in text
    assert "Mallory" not in text, "unverified facts are not shown as if they were ours"


def test_not_a_certificate_is_unknown(page: Page, site: Site) -> None:
    out = _page(site)
    other = site.tmp / "anderes.pdf"
    other.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    _open(page, out)
    assert _check_pdf(page, other) == "unknown"
    assert "Keine eingebetteten Zertifikatsangaben" in page.locator("#result").inner_text()


def test_revoked_certificate_is_revoked_after_cert_revoke(page: Page, site: Site) -> None:
    out = _page(site)
    first = _outcomes(site)[0]
    code, output = run(
        "cert", "revoke", first.number, "--reason", "Täuschung", "--db", site.db, "--key", site.key
    )
    assert code == 0 and "Sperrliste der Prüfseite" in output, output
    assert "Täuschung" not in (out / "sperrliste.js").read_text(encoding="utf-8"), "no reasons published"
    _open(page, out)
    assert first.pdf is not None
    assert _check_pdf(page, first.pdf) == "revoked"
    assert "gesperrt am" in page.locator("#result").inner_text()
    assert _lookup(page, first.number) == "revoked"
    assert axe_violations(page) == []


def test_revocation_list_with_bad_signature_is_refused(page: Page, site: Site) -> None:
    out = _page(site)
    first = _outcomes(site)[0]
    run("cert", "revoke", first.number, "--reason", "Test", "--db", site.db, "--key", site.key)
    lists = out / "sperrliste.js"
    text = lists.read_text(encoding="utf-8")
    assert first.number in text
    # someone removes the revoked number from the published list without the key
    forged = re.sub(r'\{\\"number\\":\\"[^"\\]+\\",\\"revoked_at\\":\\"[^"\\]+\\"\}', "", text)
    assert forged != text
    lists.write_text(forged, encoding="utf-8")
    _open(page, out)
    assert "Sperrliste abgelehnt: Signatur passt nicht" in page.locator("#lists").inner_text()
    assert first.pdf is not None
    assert _check_pdf(page, first.pdf) == "unknown", "never valid without a verified revocation list"
    assert "Sperrliste: abgelehnt" in page.locator("#result").inner_text()


def test_number_lookup_without_published_list_says_only_revoked_or_not(page: Page, site: Site) -> None:
    out = _page(site)
    assert "null" in (out / "ausgestellt.js").read_text(encoding="utf-8")
    assert "Özlem" not in "".join(p.read_text(encoding="utf-8") for p in out.glob("*.js"))
    first = _outcomes(site)[0]
    _open(page, out, f"?code={first.number}")
    assert page.locator("#number").input_value() == first.number
    page.wait_for_selector("#result .verdict")
    assert page.locator("#result .verdict").get_attribute("data-status") == "unknown"
    text = page.locator("#result").inner_text()
    assert "nicht gesperrt" in text and "nicht veröffentlicht" in text and "Özlem" not in text
    assert _lookup(page, first.number[:-1] + ("0" if first.number[-1] != "0" else "1")) == "unknown"
    assert "Prüfzeichen stimmt nicht" in page.locator("#result").inner_text()


def test_number_lookup_with_published_list_shows_what_the_certificate_states(page: Page, site: Site) -> None:
    out = _page(site, "--publish-issued")
    first = _outcomes(site)[0]
    _open(page, out)
    assert "Signatur gültig" in page.locator("#lists").inner_text()
    assert _lookup(page, first.number.lower()) == "valid"
    text = page.locator("#result").inner_text()
    assert "Özlem Yılmaz" in text and "Smart City Manager" in text and "2024-D2" in text
    assert "31. Oktober 2024" in text
    assert "R-00000000A1" not in text
    assert _lookup(page, "SCM-2024-D2-ZZZZ-ZZZ" + "Z") in ("unknown",)
    # switching publishing off again removes the names from the web space
    _page(site)
    assert "Özlem" not in (out / "ausgestellt.js").read_text(encoding="utf-8")


def test_key_rotation_keeps_certificates_of_the_previous_key(page: Page, site: Site) -> None:
    _page(site)
    new_key = _keygen(site.tmp / "keys" / "neu.key")
    site.key = new_key
    _page(site)  # the key the page was made with before joins the previous keys by itself
    keys = (site.out / "schluessel.js").read_text(encoding="utf-8")
    assert "früher" in keys and "aktuell" in keys
    out = site.out
    _open(page, out)
    first = _outcomes(site)[0]
    assert first.pdf is not None
    assert _check_pdf(page, first.pdf) == "valid"
    assert "früherer, weiterhin gültiger Schlüssel" in page.locator("#result").inner_text()
    # naming the previous keys lists exactly those: a stolen old key is dropped, its certificates are not ours
    new_public = new_key.with_name("neu.key.pub")
    code, output = run("cert", "page", out, "--db", site.db, "--key", new_key, "--previous-key", new_public)
    assert code == 0 and "0 frühere Schlüssel" in output, output
    _open(page, out)
    assert _check_pdf(page, first.pdf) == "tampered"
    assert "nicht zu unseren veröffentlichten Schlüsseln" in page.locator("#result").inner_text()


def test_page_works_under_its_own_content_security_policy(browser: Browser, site: Site) -> None:
    out = _page(site)
    context = browser.new_context()
    try:
        tab = context.new_page()
        errors: list[str] = []
        tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        _open(tab, out)
        first = _outcomes(site)[0]
        assert first.pdf is not None
        assert _check_pdf(tab, first.pdf) == "valid"
        assert errors == []
    finally:
        context.close()


NO_ED25519 = """
(() => {
  const subtle = crypto.subtle;
  const importKey = subtle.importKey.bind(subtle);
  const verify = subtle.verify.bind(subtle);
  const isEd = (algorithm) =>
    (typeof algorithm === "string" ? algorithm : algorithm && algorithm.name) === "Ed25519";
  subtle.importKey = (format, data, algorithm, ...rest) =>
    isEd(algorithm) ? Promise.reject(new DOMException("Unrecognized name.", "NotSupportedError"))
                    : importKey(format, data, algorithm, ...rest);
  subtle.verify = (algorithm, ...rest) =>
    isEd(algorithm) ? Promise.reject(new DOMException("Unrecognized name.", "NotSupportedError"))
                    : verify(algorithm, ...rest);
})();
"""
"""WebCrypto without Ed25519 (Safari before 17, Firefox before 129): both entry points refuse it."""


def test_browser_without_webcrypto_ed25519_verifies_with_the_fallback(page: Page, site: Site) -> None:
    out = _page(site)
    fallback = (out / "ed25519-fallback.js").read_text(encoding="utf-8")
    assert fallback.startswith("/*\nThe MIT License") and "export {" not in fallback
    page.add_init_script(NO_ED25519)
    _open(page, out)
    assert page.evaluate("typeof globalThis.scmEd25519Fallback.verifyAsync") == "function"
    lists = page.locator("#lists").inner_text()
    assert "abgelehnt" not in lists, "signed lists verify without WebCrypto Ed25519"
    first = _outcomes(site)[0]
    assert first.pdf is not None
    assert _check_pdf(page, first.pdf) == "valid"
    assert "Signatur: gültig" in page.locator("#result").inner_text()
    with Register.open(site.db) as register:
        issued = register.get(first.number)
    assert issued is not None
    forged = dataclasses.replace(issued.facts, name="Mallory Muster")
    path = site.tmp / "gefaelscht.pdf"
    path.write_bytes(pdf.render(forged, issued.signature, durchgang_title="2. Durchgang", verify_url=""))
    assert _check_pdf(page, path) == "tampered"


DROP = """async ([name, base64]) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "application/pdf" }));
  const zone = document.getElementById("dropzone");
  zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
}"""
"""What a browser delivers when a file is dragged onto the field: a DataTransfer holding the File."""


def test_dropping_the_pdf_on_the_field_checks_it(page: Page, site: Site) -> None:
    out = _page(site)
    _open(page, out)
    first = _outcomes(site)[0]
    assert first.pdf is not None
    page.evaluate(DROP, [first.pdf.name, base64.b64encode(first.pdf.read_bytes()).decode("ascii")])
    page.wait_for_selector("#result .verdict")
    assert page.locator("#result .verdict").get_attribute("data-status") == "valid"
    assert f"Datei: {first.pdf.name}" in page.locator("#result").inner_text()
