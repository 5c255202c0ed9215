"""Setting up the day from the command line: the election and the committee rooms."""
from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa

from app.models import CommitteeRoom, CommitteeRoomDistrict, Election, Neighbourhood


def test_create_election(runner, db):
    result = runner.invoke(args=["create-election", "County council", "--date", "2027-05-06", "--rehearsal"])
    assert result.exit_code == 0, result.output
    election = db.execute(sa.select(Election)).scalar_one()
    assert (election.polling_date, election.polls_open, election.polls_close, election.rehearsal) == (
        date(2027, 5, 6), time(7), time(22), True)
    db.rollback()


def test_create_election_refuses_bad_hours(runner, db):
    result = runner.invoke(args=["create-election", "X", "--date", "2027-05-06", "--open", "22:00", "--close", "07:00"])
    assert result.exit_code == 1 and "Polls must open before they close (22:00 is not before 07:00)" in result.output
    result = runner.invoke(args=["create-election", "X", "--date", "2027-05-06", "--open", "25:00"])
    assert result.exit_code == 2 and "use HH:MM" in result.output
    assert db.execute(sa.select(sa.func.count()).select_from(Election)).scalar_one() == 0
    db.rollback()


def test_committee_room_covers_exactly_the_districts_given(runner, db, districts):
    def covered():
        rows = db.execute(sa.select(CommitteeRoom.name, Neighbourhood.code)
                          .join(CommitteeRoomDistrict, CommitteeRoomDistrict.committee_room_id == CommitteeRoom.id)
                          .join(Neighbourhood, Neighbourhood.id == CommitteeRoomDistrict.neighbourhood_id)).all()
        db.rollback()
        return sorted(rows)

    assert runner.invoke(args=["set-committee-room", "Mill Lane", "--districts", "AA, AB"]).exit_code == 0
    assert covered() == [("Mill Lane", "AA"), ("Mill Lane", "AB")]
    assert runner.invoke(args=["set-committee-room", "Mill Lane", "--districts", "AB"]).exit_code == 0
    assert covered() == [("Mill Lane", "AB")]
    result = runner.invoke(args=["set-committee-room", "Mill Lane", "--districts", "AB,ZZ"])
    assert result.exit_code == 1 and "No polling district with code 'ZZ'" in result.output
    assert covered() == [("Mill Lane", "AB")]
