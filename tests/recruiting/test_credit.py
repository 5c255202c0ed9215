"""A recruiting link -> sign-up -> credited: by the link, by the device's cookie later, by the
typed code; and every way it must not credit (junk, unknown, retired, oneself, a loop)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from app.db import write_transaction
from app.errors import Conflict, ValidationError
from app.models import AuditEntry, User, VolunteerProfile, utcnow
from app.recruiting import codes
from app.recruiting import operations as ops
from app.recruiting.invite import COOKIE
from tests.support.recruiting import code_for, make_volunteer
from tests.volunteers.conftest import signup_data


def recruiter_of(db, email: str):
    db.rollback()  # a fresh snapshot
    user = db.exec(select(User).where(User.email == email)).one()
    return db.get(VolunteerProfile, user.id).recruited_by_id


def test_a_link_credits_the_sign_up_and_keeps_the_code_on_the_device(client, db, asha, asha_code, postcodes):
    page = client.get(f"/get-involved?r={asha_code.lower()}")
    assert page.status_code == 200 and "<strong>Asha</strong> invited you" in page.get_data(as_text=True)
    cookie = client.get_cookie(COOKIE)
    assert cookie.value == asha_code and cookie.http_only
    assert cookie.expires - utcnow() > timedelta(days=89)  # a sign-up days later is still credited
    form = client.get("/get-involved/sign-up").get_data(as_text=True)  # no ?r=: the cookie carries it
    assert "Invited by <strong>Asha</strong>" in form and codes.display(asha_code) in form
    response = client.post("/get-involved/sign-up", data=signup_data(client, invite_code=codes.display(asha_code)))
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert recruiter_of(db, "robin@example.org") == asha.id
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "recruiting.credit")).one()
    assert f'"recruited_by": {asha.id}' in entry.detail


def test_a_typed_code_credits_without_any_cookie(client, db, asha, asha_code, postcodes):
    typed = f" {asha_code[:4].lower()} {asha_code[4:].lower()} "
    client.post("/get-involved/sign-up", data=signup_data(client, invite_code=typed))
    assert client.get_cookie(COOKIE) is None
    assert recruiter_of(db, "robin@example.org") == asha.id


def test_clearing_the_code_on_the_form_credits_nobody(client, db, asha, asha_code, postcodes):
    client.get(f"/get-involved?r={asha_code}")
    client.post("/get-involved/sign-up", data=signup_data(client, invite_code=""))
    assert recruiter_of(db, "robin@example.org") is None


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "nonsense", "0" * 500, "'; drop table users; --", "ABCD-EFG\u00e9"])
def test_unknown_or_junk_codes_sign_up_without_credit(client, db, asha, asha_code, postcodes, code):
    page = client.get("/get-involved", query_string={"r": code})
    assert page.status_code == 200 and client.get_cookie(COOKIE) is None
    assert client.get("/get-involved/sign-up", query_string={"r": code}).status_code == 200
    response = client.post("/get-involved/sign-up", data=signup_data(client, invite_code=code))
    assert response.status_code in (200, 422)  # 422: only a form error, never a 500
    if response.status_code == 200:
        assert recruiter_of(db, "robin@example.org") is None
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "recruiting.credit")).first() is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.text(max_size=60))
def test_any_r_parameter_is_a_page_not_an_error(client, asha_code, code):
    if "\x00" in code:
        code = code.replace("\x00", "")
    response = client.get("/get-involved", query_string={"r": code})
    assert response.status_code == 200
    assert codes.normalise(code) == asha_code or client.get_cookie(COOKIE) is None
    client.delete_cookie(COOKIE)


def test_a_regenerated_code_retires_the_old_one(client, db, asha, asha_code, postcodes):
    new = write_transaction(db, lambda s: ops.regenerate_code(s, user_id=asha.id))
    assert new != asha_code and codes.recruiter_for(db, code=asha_code) is None
    db.commit()
    response = client.post("/get-involved/sign-up", data=signup_data(client, invite_code=asha_code))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert recruiter_of(db, "robin@example.org") is None
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "recruiting.new_code")).one()


def test_a_deactivated_recruiter_is_not_credited(client, db, asha, asha_code, postcodes):
    asha.is_active = False
    db.add(asha)
    db.commit()
    client.post("/get-involved/sign-up", data=signup_data(client, invite_code=asha_code))
    assert recruiter_of(db, "robin@example.org") is None


def test_signing_up_again_with_ones_own_code_changes_nothing(client, db, asha, asha_code, postcodes):
    client.post("/get-involved/sign-up", data=signup_data(client, email="asha@example.org", invite_code=asha_code))
    assert recruiter_of(db, "asha@example.org") is None


def test_a_code_typed_later_credits_once_never_oneself_nor_a_loop(db, make_user, asha, asha_code):
    robin = make_volunteer(db, make_user, name="Robin Newcomer")
    with pytest.raises(ValidationError, match="your own code"):
        write_transaction(db, lambda s: ops.claim(s, user_id=asha.id, code=asha_code, claim_days=30))
    with pytest.raises(ValidationError, match="not a code we know"):
        write_transaction(db, lambda s: ops.claim(s, user_id=robin.id, code="ZZZZ-ZZZZ", claim_days=30))
    assert write_transaction(db, lambda s: ops.claim(s, user_id=robin.id, code=asha_code, claim_days=30)) == "Asha"
    with pytest.raises(Conflict, match="already"):
        write_transaction(db, lambda s: ops.claim(s, user_id=robin.id, code=asha_code, claim_days=30))
    robin_code = code_for(db, robin)
    with pytest.raises(ValidationError, match="cannot be credited for bringing you"):  # Asha -> Robin -> Asha
        write_transaction(db, lambda s: ops.claim(s, user_id=asha.id, code=robin_code, claim_days=30))
    db.rollback()  # a fresh snapshot
    assert db.get(VolunteerProfile, asha.id).recruited_by_id is None


def test_a_code_typed_too_late_is_refused(db, make_user, asha_code):
    old = make_volunteer(db, make_user, name="Olu Old", joined=utcnow() - timedelta(days=31))
    with pytest.raises(Conflict, match="within 30 days"):
        write_transaction(db, lambda s: ops.claim(s, user_id=old.id, code=asha_code, claim_days=30))


def test_the_claim_form_credits_from_the_volunteers_page(client, db, auth, asha_code):
    robin = auth.login_as(roles="volunteer", name="Robin Newcomer")
    db.add(VolunteerProfile(user_id=robin.id, postcode="SW1A 1AA"))
    db.commit()
    page = client.get("/me/recruit").get_data(as_text=True)
    assert "Did someone invite you?" in page
    client.post("/me/recruit/claim", data={"code": asha_code, "csrf_token": auth.csrf_token("/me/recruit")})
    assert "Asha R. brought you in" in client.get("/me/recruit").get_data(as_text=True)
