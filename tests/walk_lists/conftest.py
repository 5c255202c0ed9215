from tests.support.walk_lists import area, settings_universe  # noqa: F401  (fixtures)
