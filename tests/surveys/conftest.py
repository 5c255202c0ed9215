from tests.support.canvass import field, token  # noqa: F401  (fixtures)
from tests.support.surveys import asked, settings  # noqa: F401  (fixtures)
