"""Checking a fix from the door (app/contacts/fix_rules.py): whatever the body, a fix or a Reject."""
from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from app.contacts.fix_rules import clean_email, clean_text, validate_fix
from app.contacts.validate import Reject

SETTINGS = SimpleNamespace(default_region="US")  # all fix_rules reads
NOW = datetime(2026, 12, 6, 12, tzinfo=timezone.utc)
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=8)
keys = st.sampled_from(["id", "fix", "household_id", "walk_list_id", "person_id", "first_name", "last_name", "phone",
                        "email", "consent", "recorded_at"])


@hsettings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, json_values | st.sampled_from(["add", "phone", "email", "name", "moved", "1"])))
def test_any_body_is_a_fix_or_a_reason(body):
    try:
        fix = validate_fix(body, settings=SETTINGS, now=NOW)
    except Reject as err:
        assert str(err)
    else:
        assert fix["kind"] in ("add", "moved", "deceased", "name", "phone", "email")
        for value in fix["after"].values():
            assert not any(ord(c) < 32 for c in str(value))


@given(st.text(max_size=120))
def test_names_never_keep_a_control_character(text):
    try:
        cleaned = clean_text(text, "first_name", 100)
    except Reject:
        return
    assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in cleaned)


@pytest.mark.parametrize("raw, ok", [("a@b.co", True), ("Ann.Lee+x@Example.ORG", True), ("a@b", False), ("a b@c.org", False),
                                     ("@c.org", False), ("a@@c.org", False), ("a@c..org", False)])
def test_email_syntax(raw, ok):
    if ok:
        assert clean_email(raw).endswith(raw.rpartition("@")[2].lower())
    else:
        with pytest.raises(Reject):
            clean_email(raw)


def test_phone_is_e164_in_the_campaigns_region():
    body = {"id": "6c1f3a8e-7f5e-4b89-9d0a-1f1f1f1f1f1f", "fix": "phone", "household_id": 1, "walk_list_id": 2,
            "person_id": 3, "phone": "(617) 555-0123", "recorded_at": "2026-12-06T11:00:00Z",
            "consent": {"text": "Yes you may", "at": "2026-12-06T11:00:00Z"}}
    fix = validate_fix(body, settings=SETTINGS, now=NOW)
    assert fix["after"]["phone"] == "+16175550123" and fix["consent_text"] == "Yes you may"
