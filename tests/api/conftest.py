# The phone API is tested against the same field as the canvass pages.
from tests.support.canvass import field, token  # noqa: F401  (fixtures)
from tests.support.pollingday import districts, polling_day  # noqa: F401  (fixtures)
