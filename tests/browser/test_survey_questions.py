"""The survey's own questions at the door, on a 360x780 phone: folded behind "More questions" so a
typical door's sheet still fits the screen, answered with no signal, synced once signal returns,
and stored exactly once with the version they answered."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.models import SurveyAnswer, Survey
from app.surveys.operations_surveys import save_survey
from tests.browser.conftest import PHONE
from tests.browser.helpers import TIMEOUT_MS, lose_signal, regain_signal, sign_in
from tests.support.canvass import done
from tests.support.surveys import asked, settings  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_a_custom_question_answered_offline_syncs_once(live_server, phone, walk, db, asked, settings):
    survey = db.get(Survey, asked.survey_id)
    write_transaction(db, lambda s: save_survey(
        s, survey_id=survey.id, name=survey.name, door_script="Hi {first_name}, I'm {canvasser_name}, out on {street}.",
        phone_script=survey.phone_script, question_ids=list(asked.questions.values()), settings=settings))
    done(db)
    user, walk_list, doors = walk
    page = phone.new_page()
    sign_in(page, live_server.url, user.email, lands_on="**/canvass/")
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}")
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)

    door = page.locator(f"#door-{doors[0].id}")
    door.locator(".record-btn").click()
    page.wait_for_selector(f"#door-{doors[0].id} dialog.sheet[open]", timeout=TIMEOUT_MS)
    # Folded, the questions cost the typical door nothing: the sheet still fits with nothing to scroll.
    top, bottom, scroll_height, client_height = page.evaluate(f"""() => {{
        const d = document.querySelector('#door-{doors[0].id} dialog.sheet'); const r = d.getBoundingClientRect();
        return [r.top, r.bottom, d.scrollHeight, d.clientHeight]; }}""")
    assert top >= 0 and bottom <= PHONE["height"] and scroll_height <= client_height
    assert door.locator(".more-questions > summary").inner_text() == "More questions (5)"
    door.locator(".door-script > summary").click()
    script = door.locator(".door-script p").inner_text()
    assert "out on Elm St." in script and "{" not in script

    lose_signal(phone, live_server)
    door.locator("label.code", has_text="Spoke").click()
    door.locator(".more-questions > summary").click()
    door.locator("fieldset.question", has_text="Are you registered to vote?").locator("label", has_text="Yes").click()
    door.locator("fieldset.question", has_text="Biggest local issue").locator("label", has_text="Parks").click()
    door.get_by_label("How many voters live here?").fill("3")
    door.get_by_role("button", name="Save").click()
    page.wait_for_selector("#sync[data-pending='1']", timeout=TIMEOUT_MS)
    done(db)
    assert db.execute(sa.select(sa.func.count()).select_from(SurveyAnswer)).scalar() == 0

    regain_signal(phone, live_server)
    page.wait_for_selector("#sync[data-pending='0']", timeout=TIMEOUT_MS)
    done(db)
    stored = dict(db.execute(sa.select(SurveyAnswer.question_version_id, SurveyAnswer.value)).all())
    v = asked.versions
    assert stored == {v["yes_no"]: "yes", v["single"]: "Parks", v["number"]: "3"}
