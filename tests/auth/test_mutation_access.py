"""app/auth/access (doors.py, holds.py) where the mutation check (scripts/bench/mutation.py) found rules no other
test held: the late-outcome verdict at its edges, how a hold's end is chosen, door visibility,
and a caller's sight of the households they claimed or called."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from app.auth.access import DoorAccess, Hold, closed_message, door_access, late_verdict
from app.auth.access.holds import _end_key, _hold
from app.models import CallAttempt, CallQueueEntry, Person
from tests.support.access import can_see_household

ENDED = datetime(2026, 11, 3, 15, 0, tzinfo=timezone.utc)
GRACE = timedelta(hours=72)  # config.toml [canvass] late_grace_hours


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def test_door_access_visible_needs_both_the_household_and_the_list():
    everything = DoorAccess(set())
    assert everything.visible(1, 2) and everything.visible(None, None)
    some = DoorAccess(set(), households={1}, lists={2})
    assert some.visible(1, 2) and some.visible(1, None) and some.visible(None, 2)
    assert not some.visible(3, 2) and not some.visible(1, 3) and not some.visible(3, None)


def test_a_hold_ends_at_its_first_end_and_says_how():
    later, sooner = ENDED + timedelta(hours=1), ENDED
    assert _hold(1, "A", "released", later, sooner, "unassigned") == Hold(1, "A", sooner, "unassigned")
    assert _hold(1, "A", "released", sooner, later, "unassigned") == Hold(1, "A", sooner, "released")
    assert _hold(1, "A", "active", None, ENDED, "revoked") == Hold(1, "A", ENDED, "revoked")
    assert _hold(1, "A", "released", None, None, "unassigned") == Hold(1, "A", None, "released")
    assert _hold(1, "A", "active", None, None, "unassigned") == Hold(1, "A", None, "unassigned")
    assert _end_key(Hold(1, "A", None, "released")) == float("-inf")
    assert _end_key(Hold(1, "A", ENDED, "released")) == ENDED.timestamp()


def test_late_verdict_accepts_a_door_recorded_by_the_end_and_sent_within_the_grace(ctx):
    hold = Hold(5, "North", ENDED, "released")
    assert late_verdict([hold], household_id=9, walk_list_id=5, recorded_at=ENDED, now=ENDED + GRACE) == (hold, "")
    assert late_verdict([hold], household_id=9, walk_list_id=None, recorded_at=ENDED, now=ENDED) == (hold, "")
    late, reason = late_verdict([hold], household_id=9, walk_list_id=5, recorded_at=ENDED,
                                now=ENDED + GRACE + timedelta(seconds=1))
    assert late == hold and reason.startswith("Walk list North was released at ")
    assert reason.endswith("could be sent for 72 hours after it, and that time is over.")
    after, reason = late_verdict([hold], household_id=9, walk_list_id=5,
                                 recorded_at=ENDED + timedelta(seconds=1), now=ENDED + timedelta(hours=1))
    assert after == hold and reason.endswith("; this door was recorded after that.")


def test_late_verdict_for_a_door_never_held_or_a_hold_without_an_end(ctx):
    hold = Hold(5, "North", ENDED, "unassigned")
    assert late_verdict([hold], household_id=9, walk_list_id=6, recorded_at=ENDED, now=ENDED) == (
        None, "household 9 is not on a list assigned to you")
    assert late_verdict([], household_id=9, walk_list_id=None, recorded_at=ENDED, now=ENDED)[0] is None
    open_ended = Hold(5, "North", None, "released")
    assert late_verdict([open_ended], household_id=9, walk_list_id=5, recorded_at=ENDED, now=ENDED) == (
        open_ended, "Walk list North was released; doors on it can no longer be sent.")


def test_late_verdict_uses_any_hold_still_in_grace_else_names_the_latest(ctx):
    old = Hold(5, "Old", ENDED, "unassigned")
    new = Hold(6, "New", ENDED + timedelta(days=2), "revoked")
    now = ENDED + GRACE + timedelta(hours=1)  # Old's grace is over, New's is not
    assert late_verdict([old, new], household_id=9, walk_list_id=None, recorded_at=ENDED, now=now) == (new, "")
    too_late = ENDED + timedelta(days=30)
    hold, reason = late_verdict([old, new], household_id=9, walk_list_id=None, recorded_at=ENDED, now=too_late)
    assert hold == new and reason.startswith("Your PIN for walk list New was revoked at ")
    hold, reason = late_verdict([Hold(7, "Open", None, "released"), old], household_id=9, walk_list_id=None,
                                recorded_at=ENDED + timedelta(days=1), now=too_late)
    assert hold == old and reason.startswith("Walk list Old was unassigned from you at ")


def test_closed_message_gives_the_deadline_only_when_the_end_is_known(ctx):
    timed = closed_message(Hold(5, "North", ENDED, "released"))
    assert timed.startswith("Walk list North was released at ") and "(72 hours after that)" in timed
    assert timed.endswith(" Your other lists are under My lists.")
    assert closed_message(Hold(5, "North", None, "released")) == (
        "Walk list North was released. Your other lists are under My lists.")


def test_door_access_with_nothing_asked_or_nobody_asking(db, make_user):
    boss = make_user(roles="organiser")
    assert door_access(db, principal=boss, household_ids=set(), list_ids=set(), pairs=set()) == DoorAccess(set())
    assert door_access(db, principal=boss, household_ids={1}, list_ids=set(), pairs=set()) == DoorAccess(set())
    assert door_access(db, principal=None, household_ids={1}, list_ids={2}, pairs={(2, 1)}) == DoorAccess(
        set(), set(), set())


def test_a_caller_sees_the_households_they_claimed_or_called_and_no_others(db, make_ward, make_household,
                                                                          make_user):
    ward = make_ward()
    claimed, called, other = (make_household(ward) for _ in range(3))
    caller, colleague = make_user(roles="caller"), make_user(roles="caller")
    person = {h.id: db.exec(select(Person).where(Person.household_id == h.id)).one() for h in (claimed, called, other)}
    entry = CallQueueEntry(person_id=person[claimed.id].id, phone=person[claimed.id].phone, timezone="UTC",
                           status="claimed", claimed_by_id=caller.id)
    queued = CallQueueEntry(person_id=person[other.id].id, phone=person[other.id].phone, timezone="UTC",
                            status="queued", claimed_by_id=caller.id)
    db.add_all([entry, queued, CallAttempt(person_id=person[called.id].id, caller_id=caller.id,
                                           phone=person[called.id].phone, started_at=ENDED)])
    db.commit()
    assert can_see_household(db, principal=caller, household_id=claimed.id)
    assert can_see_household(db, principal=caller, household_id=called.id)
    assert not can_see_household(db, principal=caller, household_id=other.id)  # queued, not claimed
    assert not can_see_household(db, principal=colleague, household_id=claimed.id)
    assert not can_see_household(db, principal=colleague, household_id=called.id)
    canvasser = make_user(roles="canvasser")
    assert not can_see_household(db, principal=canvasser, household_id=called.id)


def test_a_signed_out_visitor_sees_no_household_and_no_list(db, make_ward, make_household, make_user,
                                                             make_walk_list):
    """Flask-Login's anonymous user (not None, not authenticated, no roles) is refused, not an error."""
    from flask_login import AnonymousUserMixin

    from app.auth.access import require_list
    from app.errors import Forbidden

    household = make_household(make_ward())
    walk_list = make_walk_list([household], assign_to=make_user())
    visitor = AnonymousUserMixin()
    assert not can_see_household(db, principal=visitor, household_id=household.id)
    with pytest.raises(Forbidden):
        require_list(db, principal=visitor, walk_list_id=walk_list.id)
    assert door_access(db, principal=visitor, household_ids={household.id}, list_ids={walk_list.id},
                       pairs={(walk_list.id, household.id)}) == DoorAccess(set(), set(), set())


def test_an_organiser_sees_any_household_even_one_on_no_list(db, make_ward, make_household, make_user):
    household = make_household(make_ward())
    assert can_see_household(db, principal=make_user(roles="organiser"), household_id=household.id) is True


def test_door_access_for_an_organiser_is_the_batch_s_real_doors(db, make_ward, make_household, make_user,
                                                                make_walk_list):
    ward = make_ward()
    on, off = make_household(ward), make_household(ward)
    walk_list = make_walk_list([on])
    boss = make_user(roles="organiser")
    got = door_access(db, principal=boss, household_ids={on.id, off.id}, list_ids={walk_list.id},
                      pairs={(walk_list.id, on.id), (walk_list.id, off.id)})
    assert got == DoorAccess({(walk_list.id, on.id)})


def test_door_access_for_a_canvasser_is_their_active_assigned_lists_doors(db, make_ward, make_household,
                                                                          make_user, make_walk_list):
    ward = make_ward()
    mine, theirs = make_household(ward), make_household(ward)
    me, other = make_user(), make_user()
    my_list, their_list = make_walk_list([mine], assign_to=me), make_walk_list([theirs], assign_to=other)
    pair = (my_list.id, mine.id)
    assert door_access(db, principal=me, household_ids={mine.id}, list_ids={my_list.id},
                       pairs={pair}) == DoorAccess({pair})
    mixed = door_access(db, principal=me, household_ids={mine.id, theirs.id}, list_ids={my_list.id, their_list.id},
                        pairs={pair, (their_list.id, theirs.id)})
    assert mixed == DoorAccess({pair}, households={mine.id}, lists={my_list.id})
    my_list.status = "released"
    db.add(my_list)
    db.commit()
    assert door_access(db, principal=me, household_ids={mine.id}, list_ids={my_list.id},
                       pairs={pair}) == DoorAccess(set(), set(), set())


def test_door_access_for_a_pin_is_its_one_active_list(db, make_ward, make_household, make_walk_list):
    from app.auth.principals import PinPrincipal
    from app.models import ListPin

    ward = make_ward()
    mine, other = make_household(ward), make_household(ward)
    walk_list, other_list = make_walk_list([mine]), make_walk_list([other])
    pin = ListPin(walk_list_id=walk_list.id, pin_hash="x")
    db.add(pin)
    db.commit()
    joiner = PinPrincipal(pin)
    pair = (walk_list.id, mine.id)
    assert door_access(db, principal=joiner, household_ids={mine.id}, list_ids={walk_list.id},
                       pairs={pair}) == DoorAccess({pair})
    assert door_access(db, principal=joiner, household_ids={other.id}, list_ids={other_list.id},
                       pairs={(other_list.id, other.id)}) == DoorAccess(set(), set(), set())
    walk_list.status = "released"  # while another list is still active
    db.add(walk_list)
    db.commit()
    assert door_access(db, principal=joiner, household_ids={mine.id}, list_ids={walk_list.id},
                       pairs={pair}) == DoorAccess(set(), set(), set())


def test_a_pin_s_lapsed_hold_is_its_list_released_or_the_pin_revoked(db, make_ward, make_household, make_walk_list):
    """holds.py L54: a PIN whose list was released (the PIN itself not revoked) still holds it
    lapsed; a PIN on an active list it still holds has no lapsed hold."""
    from app.auth.access import lapsed_holds
    from app.auth.principals import PinPrincipal
    from app.models import ListPin

    ward = make_ward()
    released, active = make_walk_list([make_household(ward)], name="Gone"), make_walk_list([make_household(ward)])
    released_pin = ListPin(walk_list_id=released.id, pin_hash="x")
    active_pin = ListPin(walk_list_id=active.id, pin_hash="y")
    released.status, released.released_at = "released", ENDED
    db.add_all([released_pin, active_pin, released])
    db.commit()
    assert lapsed_holds(db, principal=PinPrincipal(released_pin), walk_list_id=released.id) == {
        None: [Hold(released.id, "Gone", ENDED, "released")]}
    assert lapsed_holds(db, principal=PinPrincipal(active_pin), walk_list_id=active.id) == {}


def test_lapsed_holds_on_one_list_answer_that_list_alone(db, make_ward, make_household, make_user, make_walk_list):
    """holds.py L55, L64–66: asked about one list, the answer (keyed None) is that list's hold, not another's."""
    from app.auth.access import lapsed_holds
    from app.models import Assignment

    ward = make_ward()
    door_a, door_b = make_household(ward), make_household(ward)
    me = make_user()
    list_a = make_walk_list([door_a], name="A", assign_to=me)
    list_b = make_walk_list([door_b], name="B", assign_to=me)
    for assignment in db.exec(select(Assignment).where(Assignment.user_id == me.id)).all():
        assignment.unassigned_at = ENDED if assignment.walk_list_id == list_a.id else ENDED + timedelta(hours=1)
        db.add(assignment)
    db.commit()
    assert lapsed_holds(db, principal=me, walk_list_id=list_a.id) == {None: [Hold(list_a.id, "A", ENDED, "unassigned")]}
    assert lapsed_holds(db, principal=me, walk_list_id=list_b.id) == {
        None: [Hold(list_b.id, "B", ENDED + timedelta(hours=1), "unassigned")]}
    assert lapsed_holds(db, principal=me, household_ids={door_b.id}) == {
        door_b.id: [Hold(list_b.id, "B", ENDED + timedelta(hours=1), "unassigned")]}
    assert lapsed_holds(db, principal=me) == {}
    assert lapsed_holds(db, principal=None, walk_list_id=list_a.id) == {}  # nobody (L55's default) holds nothing


def test_the_closed_message_gives_the_campaign_s_local_times(ctx):
    """holds.py L76, L112, L118–122: the end and the deadline in campaign time (America/New_York,
    EST after 1 Nov), without a zone name, and the grace in hours."""
    assert closed_message(Hold(5, "North", ENDED, "released")) == (
        "Walk list North was released at 10:00 on 03 Nov. Doors you already recorded on this phone will "
        "still be sent if they reach us by 10:00 on 06 Nov (72 hours after that). Your other lists are under My lists.")
    _, reason = late_verdict([Hold(5, "North", ENDED, "revoked")], household_id=9, walk_list_id=5,
                             recorded_at=ENDED + timedelta(minutes=1), now=ENDED + timedelta(hours=1))
    assert reason == "Your PIN for walk list North was revoked at 10:00 on 03 Nov; this door was recorded after that."


def test_nobody_sees_a_household_or_a_list(db, make_ward, make_household, make_walk_list, make_user):
    """doors.py L40: a principal of None (no getattr default reached) is refused, not an error."""
    from app.auth.access import require_list
    from app.errors import Forbidden

    household = make_household(make_ward())
    walk_list = make_walk_list([household], assign_to=make_user())
    assert not can_see_household(db, principal=None, household_id=household.id)
    with pytest.raises(Forbidden):
        require_list(db, principal=None, walk_list_id=walk_list.id)


def test_door_access_for_my_door_and_a_list_not_mine_is_judged_item_by_item(db, make_ward, make_household,
                                                                             make_user, make_walk_list):
    """doors.py L141: the one-query answer stands only when every household AND every list of the
    batch showed up; a list not mine (no door of it in the batch) leaves the lists' answer exact."""
    ward = make_ward()
    mine, theirs = make_household(ward), make_household(ward)
    me = make_user()
    my_list, their_list = make_walk_list([mine], assign_to=me), make_walk_list([theirs], assign_to=make_user())
    pair = (my_list.id, mine.id)
    got = door_access(db, principal=me, household_ids={mine.id}, list_ids={my_list.id, their_list.id}, pairs={pair})
    assert got == DoorAccess({pair}, households={mine.id}, lists={my_list.id})
    assert not got.visible(mine.id, their_list.id)


def test_door_access_for_only_households_or_only_lists_not_mine(db, make_ward, make_household, make_user,
                                                               make_walk_list):
    """doors.py L125: the "nothing asked" shortcut (everything visible) needs both sets empty; a batch
    of households alone or lists alone that are not mine sees none of them."""
    ward = make_ward()
    theirs = make_household(ward)
    their_list = make_walk_list([theirs], assign_to=make_user())
    me = make_user()
    make_walk_list([make_household(ward)], assign_to=me)
    nothing = DoorAccess(set(), set(), set())
    assert door_access(db, principal=me, household_ids={theirs.id}, list_ids=set(), pairs=set()) == nothing
    assert door_access(db, principal=me, household_ids=set(), list_ids={their_list.id}, pairs=set()) == nothing


def test_a_pair_that_is_no_door_is_not_on_the_list(db, make_ward, make_household, make_user, make_walk_list):
    """doors.py L142 (one query) and L160 (item by item): ``on_list`` holds only the batch's pairs that
    are doors, never a pair naming my list with a household that is not on it."""
    ward = make_ward()
    h1, h2, stray = make_household(ward), make_household(ward), make_household(ward)
    me = make_user()
    list_a, list_b = make_walk_list([h1], assign_to=me), make_walk_list([h2], assign_to=me)
    crossed = door_access(db, principal=me, household_ids={h1.id, h2.id}, list_ids={list_a.id, list_b.id},
                          pairs={(list_a.id, h2.id)})
    assert crossed == DoorAccess(set())  # every household and list is mine: the one query answers
    slow = door_access(db, principal=me, household_ids={h1.id, stray.id}, list_ids={list_a.id},
                       pairs={(list_a.id, h1.id), (list_a.id, stray.id)})
    assert slow == DoorAccess({(list_a.id, h1.id)}, households={h1.id}, lists={list_a.id})
