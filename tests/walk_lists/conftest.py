from tests.support.walk_lists import area  # noqa: F401  (fixture)
