"""`lms check` asks for exactly the web-service functions the toolkit calls, derived from the code.

The derivation reads the source: every function of scm_lms.moodle names the web-service functions it calls as
string literals ("core_…", "enrol_…"); starting from the Moodle client functions the rest of scm_lms uses, the
calls are followed inside scm_lms.moodle, and the literals found on the way are the functions a token needs.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from scm_lms.moodle import site

PACKAGE = Path(__file__).resolve().parents[1] / "scm_lms"
MOODLE = PACKAGE / "moodle"
WS_NAME = re.compile(r"^(core|enrol|mod|gradereport|tool|block|local|auth|report)_[a-z0-9_]+$")
LABELS = {"all_or_none"}
"""Helpers that take a web-service name only to name it in an error."""
OPTIONAL = {site.LANGUAGE_PROBE}
"""Called only when the service offers it (`lms check` reports its absence as a hint, not a gap)."""


def _ws_name(value: object) -> bool:
    return isinstance(value, str) and WS_NAME.match(value) is not None


def _functions_of_moodle() -> dict[str, tuple[set[str], set[str]]]:
    """'module.function' → (web-service names in its body, names of functions it calls)."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for path in MOODLE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            literals: set[str] = set()
            called: set[str] = set()
            for n in ast.walk(node):
                if not isinstance(n, ast.Call):
                    continue
                callee = n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", "")
                called.add(callee)
                if callee in LABELS or callee.endswith("Error"):
                    continue  # the name only labels an error message, nothing is sent
                literals |= {
                    str(arg.value) for arg in n.args if isinstance(arg, ast.Constant) and _ws_name(arg.value)
                }
            found[f"{path.stem}.{node.name}"] = (literals, called)
    return found


def _used_outside(functions: dict[str, tuple[set[str], set[str]]]) -> set[str]:
    """Client functions referenced by scm_lms outside scm_lms.moodle (as `area.function` or imported)."""
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if MOODLE in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                key = f"{node.value.id}.{node.attr}"
                if key in functions:
                    used.add(key)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scm_lms.moodle."):
                stem = (node.module or "").rsplit(".", 1)[-1]
                keys = {f"{stem}.{alias.name}" for alias in node.names}
                used |= keys & functions.keys()
    return used


def derived_functions() -> set[str]:
    functions = _functions_of_moodle()
    by_name: dict[str, list[str]] = {}
    for key in functions:
        by_name.setdefault(key.split(".", 1)[1], []).append(key)
    todo = sorted(_used_outside(functions))
    seen: set[str] = set()
    names: set[str] = set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        literals, called = functions[key]
        names |= literals
        todo += [other for name in called for other in by_name.get(name, [])]
    return names


def test_required_functions_are_exactly_those_the_code_calls() -> None:
    derived = derived_functions()
    assert "core_user_create_users" in derived and "core_webservice_get_site_info" in derived
    assert set(site.REQUIRED_FUNCTIONS) == derived - OPTIONAL
    assert len(site.REQUIRED_FUNCTIONS) == len(set(site.REQUIRED_FUNCTIONS))


def test_setup_guide_lists_exactly_the_required_functions() -> None:
    """Admins copy the functions from docs/moodle-einrichtung.md; a stale list there fails `lms check`."""
    guide = (Path(__file__).parents[1] / "docs" / "moodle-einrichtung.md").read_text(encoding="utf-8")
    block = guide.split("<!-- BEGIN REQUIRED_FUNCTIONS -->", 1)[1]
    block = block.split("<!-- END REQUIRED_FUNCTIONS -->", 1)[0]
    listed = [line.strip() for line in block.splitlines() if line.strip() and not line.startswith("```")]
    assert listed == list(site.REQUIRED_FUNCTIONS)
