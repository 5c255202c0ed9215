import pytest

from tests.support.canvass import done


@pytest.fixture
def walk(db, make_ward, make_household, make_user, make_walk_list):
    """A canvasser with a 12-door list on two streets: (user, walk list, doors)."""
    ward = make_ward("W1", "Ward 9")
    doors = [make_household(ward, street="Elm St" if n <= 6 else "Oak St", house_number=str(n),
                            lon=-71.119 + n * 1e-4, lat=42.371, people=1) for n in range(1, 13)]
    user = make_user(roles="canvasser")
    walk_list = make_walk_list(doors, name="Ward 9 · 1", assign_to=user, ward=ward)
    done(db)
    return user, walk_list, doors


# The phone of issue 19's walk-through (a Pixel 5's CSS size): the one-thumb tests count taps and
# scrolling on it.
PHONE = {"width": 360, "height": 780}


@pytest.fixture
def phone(_playwright_browser):
    """A fresh 360x780 touch-screen browser context, closed after the test."""
    context = _playwright_browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context
    context.close()


@pytest.fixture
def long_walk(db, make_ward, make_household, make_user, make_walk_list):
    """A canvasser with a 62-door list in walking order (three streets, odds up then evens down), one
    to three people behind each door: (user, walk list, doors)."""
    ward = make_ward("W1", "Ward 9")
    numbers = [n for n in range(1, 22, 2)] + [n for n in range(20, 0, -2)]  # 21 doors a street
    doors = [make_household(ward, street=street, house_number=str(n), lon=-71.119 + k * 2e-4 + i * 1e-5,
                            lat=42.371 + k * 2e-4, people=1 + i % 3)
             for k, street in enumerate(("Elm St", "Oak St", "Ash St")) for i, n in enumerate(numbers)][:62]
    user = make_user(roles="canvasser")
    walk_list = make_walk_list(doors, name="Ward 9 · 14", assign_to=user, ward=ward)
    done(db)
    return user, walk_list, doors
