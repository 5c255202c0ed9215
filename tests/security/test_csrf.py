"""CSRF stays on in tests: every state-changing route refuses a request without a token, even
from someone allowed to use it, and nothing changes. Twilio's webhooks are the exception: they
are exempt from CSRF (Twilio cannot send a token) and check X-Twilio-Signature instead."""
from __future__ import annotations

import pytest

from tests.security.test_access_matrix import POLICY, ROUTES
from tests.support.world import PRINCIPALS, build_world, row_counts

WRITES = [(endpoint, method, rule) for endpoint, method, rule in ROUTES
          if method != "GET" and POLICY.get(endpoint) not in ("twilio", "invite")]


def _allowed_principal(endpoint: str) -> str:
    policy = POLICY[endpoint]
    return next(p for p in reversed(PRINCIPALS) if p in policy)


@pytest.mark.parametrize("endpoint, method, rule", WRITES, ids=[f"{m} {r}" for _, m, r in WRITES])
def test_state_changing_route_requires_csrf_token(endpoint, method, rule, app, db, make_ward, make_household,
                                                  make_user, make_walk_list, make_team):
    world = build_world(app, db, make_ward=make_ward, make_household=make_household, make_user=make_user,
                        make_walk_list=make_walk_list, make_team=make_team)
    with app.test_request_context():
        from flask import url_for

        args = {name: world.ids[name] for name in app.url_map._rules_by_endpoint[endpoint][0].arguments}
        url = url_for(endpoint, **args)
    principal = _allowed_principal(endpoint)
    client = world.clients[principal]
    before = row_counts(db)
    for body in ({"data": {"email": "x@example.org", "password": "y"}},
                 {"json": {"outcomes": []}, "headers": {"X-CSRFToken": "forged"}}):
        response = client.open(url, method=method, **body)
        assert response.status_code == 400, f"{principal} {method} {url} without a valid token: {response.status_code}"
        # the CSRF refusal itself, not any 400 (every page carries a csrf-token meta tag)
        if response.is_json:
            assert response.get_json()["error"] == "csrf", response.get_json()
        else:
            assert "This form has expired or was not sent by Legwork" in response.get_data(as_text=True)
    assert row_counts(db) == before


def test_twilio_webhooks_are_the_only_csrf_exemptions(app):
    from app.extensions import csrf

    exempt = {view.split(".")[-1] for view in csrf._exempt_views}
    assert exempt <= {"twiml", "call_status"}, exempt
