from tests.support.canvass import field, token  # noqa: F401  (fixtures)
