from tests.support.phonebank import fake_twilio, make_callee, make_caller, settings  # noqa: F401  (fixtures)
