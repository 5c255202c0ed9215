"""Surveys: the questions organisers ask at the door and on the phone (each edit a new version, so
an answer keeps the wording it answered), the support scale, the door and phone scripts, and
which survey each walk list and call sheet asks. kinds.py: what an answer may be; queries.py:
reads; operations.py / operations_surveys.py: audited changes; seed.py: config.toml as the seed;
scale.py: the scale laid over the settings; views*.py: the organiser pages."""
from __future__ import annotations

from flask import Flask, request

from ..config import settings

from .blueprint import bp


def _overlay(base):
    from ..db import engine_for
    from .scale import campaign_settings

    return campaign_settings(engine_for(), base)


def survey_choice(kind: str, key: int) -> dict:
    """For surveys/_choose.html: the survey a list or sheet asks, its questions, the form to change it."""
    from ..db import get_session
    from ..models import ListSurvey, SheetSurvey
    from . import queries
    from .views_surveys import choose_form

    session = get_session()
    chosen = session.get(ListSurvey if kind == "list" else SheetSurvey, key)
    survey = (queries.survey_for_list(session, walk_list_id=key) if kind == "list"
              else queries.survey_for_sheet(session, sheet_id=key))
    questions = [spec.prompt for spec in queries.current_specs(session, survey_id=survey.id)] if survey else []
    return {"survey": survey, "questions": questions,
            "form": choose_form(session, current_id=chosen.survey_id if chosen else None)}


def _read_scale_first() -> None:
    # Read the scale before the request's session holds a connection: read later, from inside a
    # transaction, it takes a second pooled connection, and fifty requests at once each holding
    # one and waiting for another empty the pool (tests/events/test_checkin_concurrency.py).
    if request.endpoint not in (None, "static"):
        settings()


def init_app(app: Flask) -> None:
    # Imported here, not with the package: the contact path imports app.surveys.kinds, and the
    # views import the phone bank, which imports the contact path.
    from . import views, views_surveys  # noqa: F401  (registers their views on bp)
    from .seed import seed_survey_command

    app.extensions["legwork_settings_overlay"] = _overlay
    app.before_request(_read_scale_first)
    app.jinja_env.globals["survey_choice"] = survey_choice
    app.cli.add_command(seed_survey_command)


__all__ = ["bp", "init_app"]
