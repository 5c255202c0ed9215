"""The near-me commands (tidy, subject access) and the purge: positions are personal data."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from app.config import settings
from app.db import write_transaction
from app.models import SelfServeCheckout, WalkPosition, utcnow
from app.nearme.operations import check_out, record_position, set_sharing
from app.purge import purge_personal_data
from tests.support.nearme import centre, make_patch


def _out_and_sharing(db, patch):
    user = patch.volunteers[0]
    lat, lon = centre()
    write_transaction(db, lambda s: check_out(s, user=user, team_ids=[patch.team.id], lat=lat, lon=lon, minutes=20,
                                              max_km=1.0, config=settings().selfserve))
    write_transaction(db, lambda s: set_sharing(s, user_id=user.id, on=True))
    write_transaction(db, lambda s: record_position(s, user_id=user.id, lat=lat, lon=lon,
                                                    today_from=utcnow() - timedelta(hours=1)))
    return user


def test_tidy_deletes_positions_from_before_today_and_says_what_it_did(app, db, runner, make_ward, make_team,
                                                                      make_user):
    patch = make_patch(db, make_ward=make_ward, make_team=make_team, make_user=make_user)
    _out_and_sharing(db, patch)
    position = db.exec(select(WalkPosition)).one()
    position.recorded_at = datetime.now(timezone.utc) - timedelta(days=2)
    db.add(position)
    db.commit()
    result = runner.invoke(args=["selfserve-tidy"])
    assert result.exit_code == 0, result.output
    assert "Returned 0 untouched lists" in result.output and "deleted 1 shared position " in result.output
    db.rollback()
    assert db.exec(select(WalkPosition)).all() == [] and len(db.exec(select(SelfServeCheckout)).all()) == 1


def test_subject_access_prints_the_volunteer_s_walks(db, runner, make_ward, make_team, make_user):
    patch = make_patch(db, make_ward=make_ward, make_team=make_team, make_user=make_user)
    user = _out_and_sharing(db, patch)
    result = runner.invoke(args=["export-volunteer", str(user.id)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["canvass_near_me"]
    assert len(data["checkouts"]) == 1 and data["positions"][0]["lat"] == centre()[0]
    missing = runner.invoke(args=["export-volunteer", "999999"])
    assert missing.exit_code != 0 and "999999" in missing.output


def test_the_purge_removes_shared_positions(db, make_ward, make_team, make_user):
    patch = make_patch(db, make_ward=make_ward, make_team=make_team, make_user=make_user)
    _out_and_sharing(db, patch)
    counts = write_transaction(db, lambda s: purge_personal_data(s, before=utcnow() + timedelta(seconds=1),
                                                                 settings=settings()))
    assert counts["positions_removed"] == 1 and db.exec(select(WalkPosition)).all() == []
