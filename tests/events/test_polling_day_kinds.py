"""Polling day's shifts are events: telling and knocking up, made with the ordinary event pages
and labelled as polling day's wherever kinds are shown or chosen."""
from __future__ import annotations

import html

import pytest
from sqlmodel import select

from app.events.forms import KIND_CHOICES
from app.models import Event, EventShift, EventKind
from app.training.queries import KIND_LABELS as TRAINING_LABELS
from app.volunteers.views import KIND_LABELS as VOLUNTEER_LABELS


def test_every_kind_has_a_label_everywhere_kinds_are_shown():
    assert set(TRAINING_LABELS) == set(EventKind) == set(VOLUNTEER_LABELS)
    labels = dict(KIND_CHOICES)
    assert (labels["telling"], labels["knocking_up"]) == ("Telling (polling day)", "Knocking up (polling day)")
    assert VOLUNTEER_LABELS[EventKind.KNOCKING_UP] == "Knocking up (polling day)"


@pytest.mark.parametrize("kind", ["telling", "knocking_up"])
def test_a_lead_makes_polling_day_shifts_with_the_event_form(db, make_user, make_ward, make_team, signed_in, kind):
    lead = make_user(roles="volunteer")
    team = make_team(wards=[make_ward()], leads=[lead])
    client = signed_in(lead)
    form = html.unescape(client.get("/events/new").get_data(as_text=True))
    assert "Telling (polling day)" in form and "Knocking up (polling day)" in form
    response = client.post("/events/new", data={
        "kind": kind, "title": "Polling day: Testville Library", "starts_at": "2030-05-02T07:00",
        "ends_at": "2030-05-02T22:00", "team_id": str(team.id),
        "shifts-0-starts_at": "2030-05-02T07:00", "shifts-0-ends_at": "2030-05-02T10:00", "shifts-0-capacity": "2",
        "shifts-1-starts_at": "2030-05-02T10:00", "shifts-1-ends_at": "2030-05-02T13:00", "shifts-1-capacity": "2"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    event = db.exec(select(Event)).one()
    assert (event.kind, event.status) == (kind, "approved")
    assert db.exec(select(EventShift.capacity)).all() == [2, 2]


def test_a_training_module_can_be_required_for_knocking_up(db, make_user, signed_in):
    from app.models import TrainingModule
    from app.training.queries import missing_modules

    organiser = signed_in(make_user(roles="organiser"))
    assert "Knocking up (polling day)" in html.unescape(organiser.get("/training/new").get_data(as_text=True))
    db.add(TrainingModule(slug="knock-up", title="Knocking up", body="Be quick.", required_for="knocking_up"))
    db.commit()
    me = make_user()
    assert [m.title for m in missing_modules(db, user_id=me.id, event_kind=EventKind.KNOCKING_UP)] == ["Knocking up"]
    assert missing_modules(db, user_id=me.id, event_kind=EventKind.TELLING) == []
