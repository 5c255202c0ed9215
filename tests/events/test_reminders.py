"""``flask send-reminders``: email through the real in-process SMTP server, SMS through the Twilio
SDK pointed at a local server that records the request (tests/support/phonebank.FakeTwilio);
each message carries a way out; a failed recipient is retried next run, the others are not."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from sqlmodel import select

from app.events import reminders
from app.models import ReminderOptOut, Rsvp
from tests.support.phonebank import use_twilio
from tests.support.web import csrf_token_from


def _going(db, event, *users, status="going"):
    for user in users:
        db.add(Rsvp(event_id=event.id, user_id=user.id, status=status))
    db.commit()


def _fresh(db):
    db.rollback()
    db.expire_all()


def test_due_reminders_are_emailed_once_with_a_way_out(app, db, runner, smtp, make_event, make_user):
    soon, later = make_event(starts_in=timedelta(hours=10)), make_event(starts_in=timedelta(hours=30))
    ann, bob, cancelled, opted = (make_user(roles="volunteer", name=n) for n in ("Ann", "Bob", "Cat", "Dan"))
    _going(db, soon, ann, bob, opted)
    _going(db, soon, cancelled, status="cancelled")
    _going(db, later, ann)
    db.add(ReminderOptOut(user_id=opted.id, channel="email"))
    db.commit()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "email: 2 sent, 0 failed" in result.output
    assert {m["To"] for m in smtp.messages} == {ann.email, bob.email}
    (message,) = smtp.to(ann.email)
    body = smtp.body(message)
    assert soon.title in body and "The library" in body and f"/events/{soon.id}" in body
    assert "email: 0 sent, 0 failed" in runner.invoke(args=["send-reminders"]).output
    assert len(smtp.messages) == 2
    _fresh(db)
    assert all(r.reminded_email_at for r in db.exec(select(Rsvp).where(Rsvp.user_id.in_([ann.id, bob.id]),
                                                                         Rsvp.event_id == soon.id)).all())


def test_the_stop_link_needs_no_sign_in_and_stops_reminders(app, db, client, smtp, make_event, make_user):
    event = make_event(starts_in=timedelta(hours=2))
    ann = make_user(roles="volunteer")
    _going(db, event, ann)
    with app.app_context():
        reminders.send_reminders(db)
    stop = next(link for link in smtp.links(smtp.to(ann.email)[0]) if "/reminders/stop/" in link)
    path = urlsplit(stop).path
    page = client.get(path)
    assert page.status_code == 200
    assert client.post(path, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))}).status_code == 200
    _fresh(db)
    assert {r.channel for r in db.exec(select(ReminderOptOut)).all()} == {"email", "sms"}
    assert client.get(path[:-3] + "abc").status_code == 404  # a forged token


def test_one_failed_recipient_does_not_stop_the_others_and_is_retried(app, db, runner, smtp, make_event, make_user,
                                                                     monkeypatch):
    event = make_event(starts_in=timedelta(hours=3))
    ann, bob = make_user(roles="volunteer"), make_user(roles="volunteer")
    _going(db, event, ann, bob)
    real = reminders.mail.send

    def flaky(*, to, **kw):
        if to == ann.email:
            raise reminders.mail.MailError("refused")
        return real(to=to, **kw)

    monkeypatch.setattr(reminders.mail, "send", flaky)
    assert "email: 1 sent, 1 failed" in runner.invoke(args=["send-reminders"]).output
    assert [m["To"] for m in smtp.messages] == [bob.email]
    monkeypatch.setattr(reminders.mail, "send", real)
    assert "email: 1 sent, 0 failed" in runner.invoke(args=["send-reminders"]).output
    assert sorted(m["To"] for m in smtp.messages) == sorted([ann.email, bob.email])


def test_a_refusing_mail_server_marks_nobody(app, db, runner, smtp, make_event, make_user):
    event = make_event(starts_in=timedelta(hours=3))
    _going(db, event, make_user(roles="volunteer"))
    smtp.refuse = True
    assert "email: 0 sent, 1 failed" in runner.invoke(args=["send-reminders"]).output
    _fresh(db)
    assert db.exec(select(Rsvp)).one().reminded_email_at is None


def test_sms_reminders_go_through_twilio_with_reply_stop(app, db, runner, smtp, make_event, make_user, fake_twilio):
    use_twilio(app, api_base_url=fake_twilio.url)
    event = make_event(starts_in=timedelta(minutes=90))
    texted, no_phone = make_user(roles="volunteer", phone="+16175550123"), make_user(roles="volunteer")
    _going(db, event, texted, no_phone)
    output = runner.invoke(args=["send-reminders"]).output
    assert "sms: 1 sent, 0 failed" in output
    (request,) = fake_twilio.requests
    assert request["method"] == "POST" and request["path"].endswith("/Messages.json")
    assert request["form"]["To"] == ["+16175550123"] and request["form"]["From"] == ["+16175550100"]
    assert "Reply STOP" in request["form"]["Body"][0] and "/events/reminders/stop/" in request["form"]["Body"][0]
    assert "sms: 0 sent" in runner.invoke(args=["send-reminders"]).output
    assert len(fake_twilio.requests) == 1


def test_a_twilio_refusal_is_retried_next_run(app, db, runner, make_event, make_user, fake_twilio):
    use_twilio(app, api_base_url=fake_twilio.url)
    event = make_event(starts_in=timedelta(minutes=30))
    _going(db, event, make_user(roles="volunteer", phone="+16175550124"))
    fake_twilio.fail_with = (400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400})
    assert "sms: 0 sent, 1 failed" in runner.invoke(args=["send-reminders"]).output
    fake_twilio.fail_with = None
    assert "sms: 1 sent, 0 failed" in runner.invoke(args=["send-reminders"]).output


def test_without_twilio_no_sms_is_tried(app, db, runner, make_event, make_user, fake_twilio):
    event = make_event(starts_in=timedelta(minutes=30))
    _going(db, event, make_user(roles="volunteer", phone="+16175550125"))
    assert "sms: 0 sent, 0 failed" in runner.invoke(args=["send-reminders"]).output
    assert fake_twilio.requests == []
