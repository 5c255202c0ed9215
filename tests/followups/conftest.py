# The phone API field: a canvasser with a list, another with theirs.
from tests.support.canvass import field, token  # noqa: F401  (fixtures)
