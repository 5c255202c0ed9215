from tests.support.training import make_module  # noqa: F401  (fixture)
