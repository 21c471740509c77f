"""yaml_lines: the same data as yaml.safe_load, plus the line of every key and list item."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scm_base.yaml_lines import YamlIssue, YamlSyntaxError, parse_yaml

TEXT = """\
title: Kurs
sessions:
  - number: 1
    topics: [A, B]
  - number: 2
description: >-
  Zwei Zeilen
  Text
"""


def test_data_matches_safe_load_and_lines_are_kept() -> None:
    parsed = parse_yaml(TEXT)
    assert parsed.data == yaml.safe_load(TEXT)
    assert parsed.lines == {
        (): 1,
        ("title",): 1,
        ("sessions",): 2,
        ("sessions", 0): 3,
        ("sessions", 0, "number"): 3,
        ("sessions", 0, "topics"): 4,
        ("sessions", 0, "topics", 0): 4,
        ("sessions", 0, "topics", 1): 4,
        ("sessions", 1): 5,
        ("sessions", 1, "number"): 5,
        ("description",): 6,
    }
    assert parsed.issues == []


def test_non_text_key_is_an_issue_not_silently_converted() -> None:
    parsed = parse_yaml("flags:\n  on: true\n")  # YAML 1.1 reads `on` as the boolean true
    assert parsed.data == {"flags": {}}
    assert parsed.issues == [
        YamlIssue(
            2, ("flags",), "Schlüssel 'on' ist kein Text; schreiben Sie ihn als Wort in Anführungszeichen"
        )
    ]


def test_first_line_offsets_every_line_for_front_matter() -> None:
    parsed = parse_yaml("id: a\ntitle: B\n", first_line=2)
    assert parsed.lines == {(): 2, ("id",): 2, ("title",): 3}


def test_duplicate_key_is_an_issue_and_the_later_value_wins() -> None:
    parsed = parse_yaml("hours: 4\nid: x\nhours: 5\n")
    assert parsed.data == {"hours": 5, "id": "x"}
    assert parsed.issues == [
        YamlIssue(3, ("hours",), "Schlüssel 'hours' kommt doppelt vor (zuerst in Zeile 1)")
    ]


def test_merge_keys_and_anchors_resolve_like_safe_load() -> None:
    text = "base: &b {minutes: 10, kind: exercise}\nactivity:\n  <<: *b\n  title: T\n"
    parsed = parse_yaml(text)
    assert parsed.data == yaml.safe_load(text)
    assert parsed.lines[("activity", "title")] == 4


def test_empty_text_gives_none() -> None:
    assert parse_yaml("# nur ein Kommentar\n").data is None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: [1, 2\nb: 3\n", 2, "in einer Liste in [ ]: erwartet ',' oder ']', gefunden: ein Doppelpunkt"),
        ("a: 1\n b: 2\n", 2, ": hier darf kein 'schlüssel: wert' stehen"),
        (
            "a: !!python/name:os.system x\n",
            1,
            ": unbekanntes YAML-Tag 'tag:yaml.org,2002:python/name:os.system'",
        ),
        ("a: 1\n---\nb: 2\n", 2, ": zweites Dokument nach '---'; eine Datei enthält nur ein Dokument"),
        (
            "a:\n  b: 1\n c: 2\n",
            3,
            "erwartet das Ende der eingerückten Ebene, gefunden: der Beginn einer Zuordnung",
        ),
        ('a: "abc\n', 2, "in einem Text in Anführungszeichen: unerwartetes Dateiende"),
        ("a: *x\n", 1, ": Verweis *x ohne passenden Anker &x"),
    ],
)
def test_syntax_errors_carry_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml(text, first_line=1)
    assert caught.value.line == line
    assert caught.value.message.startswith("YAML-Syntaxfehler")
    assert message in caught.value.message


def test_control_character_is_named_in_german() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml("a: \x07\n")
    assert (
        caught.value.message
        == "YAML-Syntaxfehler: Steuerzeichen #x0007 ist in YAML nicht erlaubt; entfernen Sie es"
    )


def test_recursive_anchor_is_refused_not_looped() -> None:
    with pytest.raises(YamlSyntaxError, match="zu tief verschachtelt"):
        parse_yaml("a: &x [*x]\n")


_keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)  # `on`, `no`: dumped quoted
_scalars = st.one_of(
    st.text(max_size=20), st.integers(-1000, 1000), st.booleans(), st.none(), st.floats(allow_nan=False)
)
_documents = st.dictionaries(
    _keys,
    st.recursive(
        _scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
        max_leaves=12,
    ),
    max_size=5,
)


def _paths(value: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every key and item path in document order."""
    children: list[tuple[str | int, object]] = []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    return [p for key, child in children for p in [(*path, key), *_paths(child, (*path, key))]]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # shared 2-core box
@given(document=_documents, flow=st.booleans())
def test_any_document_round_trips_with_a_line_for_every_key_and_item(
    document: dict[str, object], flow: bool
) -> None:
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    parsed = parse_yaml(text)
    expected = yaml.safe_load(text)  # not always `document`: PyYAML itself folds some control characters
    assert parsed.data == expected
    assert parsed.issues == []
    lines = [parsed.lines[path] for path in _paths(expected)]
    assert lines == sorted(lines), "lines follow document order"
    assert all(1 <= line <= text.count("\n") + 1 for line in lines)


def test_integers_are_decimal_only_so_times_stay_text() -> None:
    parsed = parse_yaml("start: 13:00\nmask: 0x10\nold: 010\nhours: 4\n")
    assert parsed.data == {"start": "13:00", "mask": "0x10", "old": "010", "hours": 4}
