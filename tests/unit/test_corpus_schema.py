"""Fixture field tables: payload fields derived from the event types, value shapes checked."""

from __future__ import annotations

from ledger.corpus.schema import (
    CLAIM_TYPES,
    Errors,
    Kind,
    check_value,
    payload_fields,
    read_fields,
)
from ledger.corpus.yamlnodes import parse_yaml
from ledger.domain.events import EVENT_TYPES, AgreementSigned, MembersCounted


def test_payload_fields_come_from_the_event_class() -> None:
    """Required payload fields are those without a default; entity fields are marked."""
    fields = {f.name: f for f in payload_fields(AgreementSigned)}
    assert set(fields) == {"agreement", "parties", "signatories", "mode"}
    assert fields["agreement"].required
    assert not fields["mode"].required
    assert fields["parties"].kind is Kind.ENTITIES
    assert {f.name: f.kind for f in payload_fields(MembersCounted)}["count"] is Kind.INT


def test_claims_may_use_every_type_but_the_catalogue() -> None:
    """Sources and entities have their own sections; every other event type is a claim."""
    assert set(EVENT_TYPES) - set(CLAIM_TYPES) == {
        "SourceRegistered",
        "EntityRegistered",
        "EntityNamed",
        "Identified",
    }


def test_value_shapes() -> None:
    """Each kind accepts its shape and explains a wrong one."""
    assert check_value(Kind.TEXTS, "a") == (("a",), None)
    assert check_value(Kind.EDTF, 2011) == ("2011", None)
    assert check_value(Kind.INT, True)[1] is not None
    assert check_value(Kind.SLUG, "Not A Slug")[1] is not None
    assert check_value(Kind.LINE, "two\nlines")[1] is not None
    assert check_value(Kind.CONFIDENCE, "medium-high") == ("medium-high", None)


def test_read_fields_reports_every_misfit() -> None:
    """Unknown, missing and misshapen fields are all reported, with their lines."""
    entry = parse_yaml("id: Bad Id\nextra: 1\n", "f.yaml")
    errors = Errors()
    fields = read_fields(
        entry,
        payload_fields(MembersCounted),
        "f.yaml",
        1,
        errors,
        "a count",
    )
    assert fields == {}
    found = {(e.line, e.field) for e in errors.found}
    assert found == {(1, "id"), (2, "extra"), (1, "count")}
