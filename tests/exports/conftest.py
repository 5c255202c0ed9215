from tests.support.exports import campaign  # noqa: F401  (fixture)
