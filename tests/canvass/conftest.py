import pytest

from .helpers import build_field


@pytest.fixture
def field(auth, make_user, make_ward, make_household, make_walk_list):
    """A signed-in canvasser with a six-door list; another canvasser with a three-door list."""
    return build_field(auth, make_user, make_ward, make_household, make_walk_list)


@pytest.fixture
def token(auth, field):
    return auth.csrf_token("/canvass/join")
