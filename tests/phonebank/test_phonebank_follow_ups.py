"""A call that asks for action (a poster, a postal-vote form, a question) joins the follow-up queue,
as a door does."""
from __future__ import annotations

import sqlalchemy as sa

from app.models import FollowUp
from tests.phonebank.test_phonebank_pages import caller, next_call, outcome  # noqa: F401  (caller: a fixture)
from tests.phonebank.test_phonebank_pages import pytestmark  # noqa: F401  (calling hours open all day: the real clock)


def test_a_call_asking_for_a_poster_and_a_question_makes_follow_ups_once(client, auth, caller, db, make_callee):
    person = make_callee()
    path = next_call(client, auth)
    response = outcome(client, path, "spoke", poster="y", postal_vote="y", follow_up="Is there parking at the school?")
    assert response.status_code == 302
    db.rollback()
    rows = db.execute(sa.select(FollowUp.kind, FollowUp.person_id, FollowUp.channel, FollowUp.note)
                      .order_by(FollowUp.kind)).all()
    assert rows == [("postal_vote", person.id, "phone", ""), ("poster", person.id, "phone", ""),
                    ("question", person.id, "phone", "Is there parking at the school?")]


def test_no_answer_makes_none(client, auth, caller, db, make_callee):
    make_callee()
    path = next_call(client, auth)
    assert outcome(client, path, "no_answer", poster="y", follow_up="ignored").status_code == 302
    db.rollback()
    assert db.execute(sa.select(sa.func.count()).select_from(FollowUp)).scalar_one() == 0
