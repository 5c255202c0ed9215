# The phone API is tested against the same field as the canvass pages.
from tests.canvass.conftest import field, token  # noqa: F401
