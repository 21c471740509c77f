"""Signed facts gained the period and the mornings attended (issue 11); older certificates stay valid."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from scm_lms.certify.facts import Facts, FactsError, ModuleFact
from scm_lms.certify.signing import sign
from scm_lms.certify.verify import check_signed

OLD = Facts("Ä B", "P", "2024-D2", "2024-10-31", "N", "I", 40, (ModuleFact(1, "Grundlagen", 8),))
NEW = Facts(
    "Ä B",
    "P",
    "2024-D2",
    "2024-10-31",
    "N",
    "I",
    40,
    (ModuleFact(1, "Grundlagen", 8),),
    period=("2024-09-10", "2024-10-15"),
    mornings=(9, 10),
)


def test_new_facts_round_trip_and_old_ones_keep_their_bytes() -> None:
    assert Facts.from_dict(json.loads(NEW.canonical())) == NEW
    assert b'"mornings":{"attended":9,"of":10}' in NEW.canonical()
    assert b'"period":{"first":"2024-09-10","last":"2024-10-15"}' in NEW.canonical()
    assert b"period" not in OLD.canonical() and Facts.from_dict(json.loads(OLD.canonical())) == OLD


@pytest.mark.parametrize("facts", [OLD, NEW], ids=["before issue 11", "with period and mornings"])
def test_both_verify(facts: Facts) -> None:
    key = Ed25519PrivateKey.generate()
    canonical = facts.canonical()
    verdict = check_signed(canonical.decode(), sign(key, canonical), key.public_key())
    assert verdict.status == "valid" and verdict.facts == facts


@pytest.mark.parametrize(
    "change",
    [{"extra": 1}, {"mornings": {"attended": "9", "of": 10}}, {"period": {"first": "2024-09-10"}}],
)
def test_malformed_new_fields_are_not_facts(change: dict[str, object]) -> None:
    with pytest.raises(FactsError):
        Facts.from_dict({**json.loads(NEW.canonical()), **change})
