"""What check-in asks (missing_modules) and what a volunteer has done (completions)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import TrainingCompletion, utcnow
from app.models.states import EventKind
from app.training.queries import completions, missing_modules


@pytest.fixture
def done(db):
    def complete(module, user, *, ago=0):
        db.add(TrainingCompletion(module_id=module.id, user_id=user.id, completed_at=utcnow() - timedelta(hours=ago)))
        db.commit()

    return complete


def test_missing_modules_are_the_required_ones_not_completed(db, make_module, make_user, done):
    door = make_module(title="Knocking on a door", required_for=["canvass"])
    data = make_module(title="Data protection", required_for=["canvass", "phone_bank"])
    make_module(title="Phone banking", required_for=["phone_bank"])
    make_module(title="Telling rules")
    me, other = make_user(), make_user()
    assert [m.title for m in missing_modules(db, user_id=me.id, event_kind="canvass")] == ["Data protection", "Knocking on a door"]
    done(door, me)
    done(data, other)  # someone else's completion counts for nothing
    assert [m.title for m in missing_modules(db, user_id=me.id, event_kind=EventKind.CANVASS)] == ["Data protection"]
    done(data, me)
    assert missing_modules(db, user_id=me.id, event_kind="canvass") == []
    assert [m.title for m in missing_modules(db, user_id=me.id, event_kind="phone_bank")] == ["Phone banking"]
    assert missing_modules(db, user_id=me.id, event_kind="social") == []


@pytest.mark.parametrize("kind", ["", "canvas", "anvass", "phone", "bank", "phone%", "_", "%", "canvass phone_bank",
                                  "phoneXbank"])
def test_a_kind_matches_whole_words_only(db, make_module, make_user, kind):
    make_module(required_for=["canvass", "phone_bank"])
    assert missing_modules(db, user_id=make_user().id, event_kind=kind) == []


def test_completions_most_recent_first(db, make_module, make_user, done):
    first, second, never = make_module(title="First"), make_module(title="Second"), make_module(title="Never")
    me = make_user()
    done(first, me, ago=5)
    done(second, me, ago=1)
    done(never, make_user())
    assert [m.title for m, _ in completions(db, user_id=me.id)] == ["Second", "First"]
    assert completions(db, user_id=make_user().id) == []
