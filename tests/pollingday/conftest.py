from tests.support.pollingday import districts, polling_day  # noqa: F401  (fixtures)
