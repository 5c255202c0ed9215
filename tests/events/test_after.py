"""After the event: attendance, no-shows and cancellations, and one thank-you per attendee that
says what the event did."""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import select

from app.models import ContactEvent, Event, Rsvp, utcnow


def test_attendance_counts_and_thank_yous(app, db, smtp, make_event, make_user, make_ward, make_household,
                                          make_walk_list, signed_in):
    ward = make_ward()
    homes = [make_household(ward) for _ in range(4)]
    walk_list = make_walk_list(homes, ward=ward)
    host = make_user(roles="volunteer")
    event = make_event(starts_in=timedelta(hours=-4), hours=2, lists=[walk_list], host=host)
    came, ticked, absent, gone = (make_user(roles="volunteer", name=n) for n in ("Came", "Ticked", "Absent", "Gone"))
    rows = {u.name: Rsvp(event_id=event.id, user_id=u.id) for u in (came, ticked, absent, gone)}
    rows["Came"].checked_in_at = utcnow() - timedelta(hours=4)
    rows["Gone"].status = "cancelled"
    db.add_all(rows.values())
    start = event.starts_at
    # Three doors knocked in the event's time (two conversations), one long after: not counted.
    for household, code, at in ((homes[0], "spoke", start + timedelta(minutes=10)),
                                (homes[1], "not_home", start + timedelta(minutes=20)),
                                (homes[2], "refused", start + timedelta(hours=3)),
                                (homes[3], "spoke", start + timedelta(hours=5))):
        db.add(ContactEvent(id=str(uuid.uuid4()), channel="door", code=code, household_id=household.id,
                            walk_list_id=walk_list.id, recorded_at=at))
    db.commit()
    hosting = signed_in(host)
    page = hosting.get(f"/events/{event.id}/admin").get_data(as_text=True)
    assert "3 going · 1 checked in · 1 cancelled · 2 no-shows" in page
    # The host ticks Ticked as present (Came stays present by default: checked in), Absent stays absent.
    response = hosting.post(f"/events/{event.id}/admin/attendance",
                            data={"rsvp": [str(r.id) for r in rows.values() if r.status == "going"],
                                  "attended": [str(rows["Came"].id), str(rows["Ticked"].id)]})
    assert response.status_code == 302
    assert hosting.post(f"/events/{event.id}/admin/attendance", data={"rsvp": "99999"}).status_code == 422
    assert hosting.post(f"/events/{event.id}/admin/attendance", data={"rsvp": "x"}).status_code == 422
    db.rollback(), db.expire_all()
    assert {u: db.get(Rsvp, r.id).attended for u, r in rows.items()} == {
        "Came": True, "Ticked": True, "Absent": False, "Gone": None}

    assert hosting.post(f"/events/{event.id}/admin/thank").status_code == 302
    assert sorted(m["To"] for m in smtp.messages) == sorted([came.email, ticked.email])
    body = smtp.body(smtp.to(came.email)[0])
    assert "3 doors knocked, 2 conversations" in body and event.title in body
    assert hosting.post(f"/events/{event.id}/admin/thank").status_code == 302  # idempotent
    assert len(smtp.messages) == 2
    db.rollback(), db.expire_all()
    assert db.get(Event, event.id).thanked_at is not None
    assert db.exec(select(Rsvp).where(Rsvp.thanked_at.is_not(None))).all().__len__() == 2


def test_only_the_host_lead_or_organiser_runs_the_event(make_event, make_user, signed_in):
    event = make_event(starts_in=timedelta(hours=-4), hours=2)
    stranger = signed_in(make_user(roles="volunteer"))
    for url in ("/admin/thank", "/admin/attendance", "/admin/cancel"):
        assert stranger.post(f"/events/{event.id}{url}").status_code == 403
    assert stranger.get(f"/events/{event.id}/admin").status_code == 403
    assert signed_in(make_user(roles="organiser")).get(f"/events/{event.id}/admin").status_code == 200
