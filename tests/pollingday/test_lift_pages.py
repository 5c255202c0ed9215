"""The lifts page: a driver sees their lift's voter and nobody else's; committee rooms run the queue."""
from __future__ import annotations

import sqlalchemy as sa

from app.models import LiftRequest


def _post(client, auth, url, **data):
    return client.post(url, data={"csrf_token": auth.csrf_token(), **data})


def test_committee_requests_a_lift_and_a_driver_takes_it(client, auth, db, make_user):
    auth.login_as("committee")
    page = client.get("/polling-day/lifts").get_data(as_text=True)
    assert "Request a lift" in page and "My lift" not in page
    response = _post(client, auth, "/polling-day/lifts/new", name="Ada Ampleforth", address="1 Acacia Avenue",
                     access_needs="wheelchair", wanted_at="")
    assert response.status_code == 302
    bad = _post(client, auth, "/polling-day/lifts/new", name="", address="1 Acacia Avenue")
    assert bad.status_code == 422 and "Give the voter" in bad.get_data(as_text=True)
    assert db.execute(sa.select(sa.func.count()).select_from(LiftRequest)).scalar_one() == 1
    db.rollback()
    auth.logout()

    auth.login_as("driver")
    page = client.get("/polling-day/lifts").get_data(as_text=True)
    assert "1 lift waiting" in page and "Ada Ampleforth" not in page and "Request a lift" not in page
    assert _post(client, auth, "/polling-day/lifts/next").status_code == 302
    page = client.get("/polling-day/lifts").get_data(as_text=True)
    assert "Ada Ampleforth" in page and "1 Acacia Avenue" in page and "wheelchair" in page
    lift_id = db.execute(sa.select(LiftRequest.id)).scalar_one()
    db.rollback()
    assert _post(client, auth, f"/polling-day/lifts/{lift_id}/done").status_code == 302
    assert "Ada Ampleforth" not in client.get("/polling-day/lifts").get_data(as_text=True)
    assert _post(client, auth, f"/polling-day/lifts/{lift_id}/release").status_code == 409
    assert db.get(LiftRequest, lift_id).status == "done"


def test_another_driver_cannot_release_or_see_a_held_lift(client, auth, db, make_user):
    from app.db import write_transaction
    from app.pollingday import lifts

    holder = make_user(roles="driver")
    lift_id = write_transaction(db, lambda s: lifts.request_lift(s, name="Ivo Ampleforth", address="2 Beech Road").id)
    write_transaction(db, lambda s: lifts.claim_lift(s, driver_id=holder.id))
    auth.login_as("driver")
    assert "Ivo Ampleforth" not in client.get("/polling-day/lifts").get_data(as_text=True)
    assert _post(client, auth, f"/polling-day/lifts/{lift_id}/release").status_code == 409
    assert _post(client, auth, f"/polling-day/lifts/{lift_id}/cancel").status_code == 403
    assert _post(client, auth, "/polling-day/lifts/next").status_code == 302  # nobody waiting: a message
    db.expire_all()
    assert (db.get(LiftRequest, lift_id).driver_id, db.get(LiftRequest, lift_id).status) == (holder.id, "claimed")
