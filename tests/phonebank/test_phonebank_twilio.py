"""Bridged calls through Twilio (the SDK pointed at a local fake, never at Twilio) and the
webhooks' signature check: a forged or unsigned request gets 403 and changes nothing."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from twilio.request_validator import RequestValidator

from app.contacts import Actor, record_contacts
from app.models import CallAttempt, User
from app.phonebank import queue

from tests.support.phonebank import NOON_EAST, TWILIO, new_id, use_twilio

pytestmark = pytest.mark.parametrize("app", [{"PHONEBANK": {"calling_window": ["00:00", "00:00"]}}],
                                     indirect=True)


@pytest.fixture
def twilio_app(app, fake_twilio):
    use_twilio(app, api_base_url=fake_twilio.url)
    return app


@pytest.fixture
def attempt(db, make_callee, make_caller, settings):
    make_callee()
    return queue.claim(db, caller_id=make_caller().id, now=NOON_EAST, settings=settings)


def signed_post(client, path, params, *, token=TWILIO["auth_token"], signature=None):
    url = TWILIO["public_base_url"] + path
    if signature is None:
        signature = RequestValidator(token).compute_signature(url, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature})


def test_bridged_call_rings_the_caller_and_points_twilio_at_our_webhooks(twilio_app, client, auth, db,
                                                                          make_callee, fake_twilio):
    voter = make_callee()
    caller = auth.login_as("caller")
    location = client.post("/phonebank/next", data={"csrf_token": auth.csrf_token("/phonebank/")}).headers["Location"]
    attempt_id = int(location.rsplit("/", 1)[1])
    page = client.get(location).get_data(as_text=True)
    assert "Call through the campaign" in page and f'href="tel:{voter.phone}"' in page
    response = client.post(f"{location}/bridge", data={"csrf_token": auth.csrf_token(location),
                                                       "caller_phone": "(617) 555-0199"}, follow_redirects=True)
    assert "Calling your phone now" in response.get_data(as_text=True)
    [sent] = fake_twilio.requests
    assert (sent["method"], sent["path"]) == ("POST", f"/2010-04-01/Accounts/{TWILIO['account_sid']}/Calls.json")
    assert (sent["auth"].username, sent["auth"].password) == (TWILIO["account_sid"], TWILIO["auth_token"])
    form = sent["form"]
    assert form["To"] == ["+16175550199"] and form["From"] == [TWILIO["caller_id"]]
    assert form["Url"] == [f"https://legwork.example.org/phonebank/twiml/{attempt_id}"]
    assert form["StatusCallback"] == [f"https://legwork.example.org/phonebank/status/{attempt_id}"]
    assert form["StatusCallbackEvent"] == ["initiated", "ringing", "answered", "completed"]
    assert "Record" not in form
    db.rollback()
    db.expire_all()
    stored = db.get(CallAttempt, attempt_id)
    assert stored.twilio_call_sid.startswith("CA") and stored.twilio_status == "queued"
    assert db.get(User, caller.id).phone == "+16175550199"  # offered again next time


@pytest.mark.parametrize("caller_phone, message", [
    ("", "Enter your own phone number."),
    ("12", "is not a phone number we can ring"),
])
def test_bad_caller_phone_is_refused_before_twilio(twilio_app, client, auth, db, attempt, fake_twilio,
                                                   caller_phone, message):
    auth.login(db.get(User, attempt.caller_id).email)
    path = f"/phonebank/call/{attempt.id}"
    response = client.post(f"{path}/bridge", data={"csrf_token": auth.csrf_token(path), "caller_phone": caller_phone},
                           follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert fake_twilio.requests == []


def test_twilio_refusing_the_call_is_explained_and_stores_nothing(twilio_app, client, auth, db, attempt,
                                                                  fake_twilio):
    fake_twilio.fail_with = (400, {"code": 21211, "message": "The 'To' number is not a valid phone number.",
                                   "status": 400})
    auth.login(db.get(User, attempt.caller_id).email)
    path = f"/phonebank/call/{attempt.id}"
    response = client.post(f"{path}/bridge", data={"csrf_token": auth.csrf_token(path),
                                                   "caller_phone": "+16175550199"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Twilio refused the call" in html and "The &#39;To&#39; number is not a valid phone number." in html
    db.expire_all()
    assert db.get(CallAttempt, attempt.id).twilio_call_sid is None


def test_signed_twiml_request_dials_the_voter_from_the_campaign_number(twilio_app, client, attempt):
    response = signed_post(client, f"/phonebank/twiml/{attempt.id}", {"CallSid": "CA1", "CallStatus": "in-progress"})
    assert response.status_code == 200 and response.mimetype == "text/xml"
    xml = response.get_data(as_text=True)
    assert f'<Dial answerOnBridge="true" callerId="{TWILIO["caller_id"]}" record="do-not-record">' \
           f'<Number>{attempt.phone}</Number></Dial>' in xml


def test_twiml_refuses_a_number_put_on_the_ledger_since(twilio_app, client, db, attempt, settings):
    person_household = db.exec(sa.text("SELECT household_id FROM people WHERE id = :p"), params={"p": attempt.person_id}).scalar()
    record_contacts(db, events=[{"id": new_id(), "code": "do_not_contact", "household_id": person_household,
                                 "person_id": attempt.person_id, "recorded_at": NOON_EAST.isoformat()}],
                    actor=Actor(label="test"), settings=settings, channel="door")
    db.commit()
    xml = signed_post(client, f"/phonebank/twiml/{attempt.id}", {"CallSid": "CA1"}).get_data(as_text=True)
    assert "<Dial" not in xml and "<Hangup" in xml


def test_forged_or_unsigned_webhooks_get_403_and_change_nothing(twilio_app, client, db, attempt, subtests):
    params = {"CallSid": "CAforged", "CallStatus": "completed", "CallDuration": "999"}
    for how in ("unsigned", "wrong token", "tampered", "garbage"):
        for path in (f"/phonebank/twiml/{attempt.id}", f"/phonebank/status/{attempt.id}"):
            with subtests.test(how=how, path=path):
                if how == "unsigned":
                    response = client.post(path, data=params)
                elif how == "wrong token":
                    response = signed_post(client, path, params, token="not-our-token")
                elif how == "tampered":  # signed for other values than the ones sent
                    good = RequestValidator(TWILIO["auth_token"]).compute_signature(
                        TWILIO["public_base_url"] + path, {**params, "CallDuration": "1"})
                    response = signed_post(client, path, params, signature=good)
                else:
                    response = signed_post(client, path, params, signature="bm90IGEgc2lnbmF0dXJl")
                assert response.status_code == 403
                assert "<Dial" not in response.get_data(as_text=True)
    db.expire_all()
    row = db.get(CallAttempt, attempt.id)
    assert (row.twilio_call_sid, row.twilio_status, row.duration_s) == (None, None, None)


def test_status_callbacks_are_stored_and_never_go_backwards(twilio_app, client, db, attempt):
    path = f"/phonebank/status/{attempt.id}"
    for status, extra in (("initiated", {}), ("ringing", {}), ("in-progress", {}),
                          ("completed", {"CallDuration": "42"}), ("ringing", {})):
        assert signed_post(client, path, {"CallSid": "CA42", "CallStatus": status, **extra}).status_code == 204
    assert signed_post(client, path, {"CallSid": "CAother", "CallStatus": "failed"}).status_code == 204
    db.expire_all()
    row = db.get(CallAttempt, attempt.id)
    assert (row.twilio_call_sid, row.twilio_status, row.duration_s) == ("CA42", "completed", 42)
