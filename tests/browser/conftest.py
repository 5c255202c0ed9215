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
