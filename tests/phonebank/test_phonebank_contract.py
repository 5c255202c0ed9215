"""Contract test: the requests Legwork sends are valid Twilio requests.

Prism (``@stoplight/prism-cli``, installed by scripts/test into .tools/) serves Twilio's own
OpenAPI description from ../shared/twilio and answers 422 to any request that breaks it. Skips
where Prism or the description is missing; fails instead under CI or LEGWORK_REQUIRE_SHARED_DATA=1.
"""
from __future__ import annotations

import dataclasses
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from app.config import TwilioSettings
from app.phonebank import telephony
from tests.support.env import ROOT

from tests.support.phonebank import TWILIO

PRISM = Path(os.environ.get("LEGWORK_TEST_PRISM", ROOT / ".tools" / "node_modules" / ".bin" / "prism"))
SPEC = Path(os.environ.get("LEGWORK_TEST_TWILIO_SPEC", ROOT.parent / "shared" / "twilio" / "twilio_api_v2010.json"))
STARTUP_LIMIT_S = 120  # Prism parses a 2 MB description: slow on a busy machine, but bounded

pytestmark = pytest.mark.shared_data


def _missing(reason: str):
    if os.environ.get("CI") or os.environ.get("LEGWORK_REQUIRE_SHARED_DATA") == "1":
        pytest.fail(reason + " (CI / LEGWORK_REQUIRE_SHARED_DATA=1 make this a failure)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def prism(tmp_path_factory):
    if not PRISM.exists():
        _missing(f"Prism not found at {PRISM} (scripts/test installs @stoplight/prism-cli@5)")
    if not SPEC.exists():
        _missing(f"Twilio's OpenAPI description not found at {SPEC}")
    port = _free_port()
    log = tmp_path_factory.mktemp("prism") / "prism.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([str(PRISM), "mock", str(SPEC), "-p", str(port), "-h", "127.0.0.1"],
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_LIMIT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"Prism exited with {process.returncode}:\n{log.read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"Prism did not start within {STARTUP_LIMIT_S} s:\n{log.read_text()[-2000:]}")
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


class PrismHttpClient(telephony.RebasedHttpClient):
    """Spells array fields the way Prism reads them, and nothing else changes.

    Twilio takes an array as a repeated key (StatusCallbackEvent=initiated&StatusCallbackEvent=
    ringing...), which is what the SDK sends (test_phonebank_twilio checks that). Prism 5 keeps only
    the last of repeated keys and then reports "must be array"; it reads ``Key[]`` as an array
    instead (stoplightio/prism#2473). Every other field goes to Prism exactly as the SDK built it.
    """

    renamed: list[str] = []

    def request(self, method, url, params=None, data=None, *args, **kwargs):
        if data:
            arrays = [key for key, value in data.items() if isinstance(value, list)]
            self.renamed.extend(arrays)
            data = {f"{key}[]" if key in arrays else key: value for key, value in data.items()}
        return super().request(method, url, params, data, *args, **kwargs)


@pytest.fixture
def clients(monkeypatch):
    """Every Twilio client telephony builds, so the test can read the raw response it got."""
    made = []
    original = telephony.make_client
    PrismHttpClient.renamed = []
    monkeypatch.setattr(telephony, "RebasedHttpClient", PrismHttpClient)

    def keep(settings):
        client = original(settings)
        made.append(client)
        return client

    monkeypatch.setattr(telephony, "make_client", keep)
    return made


def _settings(settings, prism_url, **overrides):
    return dataclasses.replace(settings, twilio=TwilioSettings(**{**TWILIO, "api_base_url": prism_url, **overrides}))


def test_bridged_call_request_is_a_valid_twilio_request(settings, prism, clients):
    placed = telephony.place_bridged_call(_settings(settings, prism), caller_phone="+16175550199",
                                          twiml_path="/phonebank/twiml/7", status_path="/phonebank/status/7")
    response = clients[-1].http_client._test_only_last_response
    assert response.status_code == 201, response.text
    assert PrismHttpClient.renamed == ["StatusCallbackEvent"]
    assert "sl-violations" not in {k.lower() for k in response.headers}, response.headers
    assert placed.sid.startswith("CA") and placed.status


def test_an_event_reminder_text_is_a_valid_twilio_request(settings, prism, clients):
    sid = telephony.send_sms(_settings(settings, prism), to="+16175550199",
                             body="Reminder: Saturday doors at 10:00, The library. Reply STOP to stop these texts.")
    response = clients[-1].http_client._test_only_last_response
    assert response.status_code == 201, response.text
    assert "sl-violations" not in {k.lower() for k in response.headers}, response.headers
    assert sid.startswith("SM") or sid.startswith("MM")


def test_prism_really_validates_a_request_that_breaks_the_spec(settings, prism, clients):
    """Without this, a Prism that accepted anything would let the test above pass vacuously."""
    with pytest.raises(telephony.TelephonyError, match="HTTP 422"):
        telephony.place_bridged_call(_settings(settings, prism, account_sid="ACnot-a-valid-sid"),
                                     caller_phone="+16175550199", twiml_path="/phonebank/twiml/7",
                                     status_path="/phonebank/status/7")
