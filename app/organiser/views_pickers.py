"""The pickers' searches (app/static/organiser/picker.js asks them as the organiser types): areas to
cut or filter by, and the volunteers a list may be given; each answers at most pickers.RESULTS,
inside the asker's scope (a team lead: their areas, their teams' members)."""
from __future__ import annotations

from flask import request
from flask_login import current_user

from ..auth.access import area_scope, team_member_ids
from ..auth.decorators import lead_or_organiser_required
from ..db import get_session
from ..walk_lists import get_list
from ..walk_lists.city import CITY
from . import pickers
from .picker_forms import city_label
from .blueprint import bp


@bp.get("/pickers/areas")
@lead_or_organiser_required
def picker_areas():
    text, session = pickers.search_text(request.args), get_session()
    scope = area_scope(session, principal=current_user)
    if request.args.get("wards") == "1":  # the dashboard's ward menu: the wards it can show
        return pickers.answer(pickers.search_wards(session, text=text, ward_ids=scope and scope.touched_ward_ids))
    found = pickers.search_areas(session, text=text, scope=scope)
    city = city_label(scope)  # the cut form's (?city=1) "whole city", found by typing part of it
    if request.args.get("city") == "1" and len(text.strip()) >= 3 and text.strip().casefold() in city.casefold():
        found = [(CITY, city), *found][:pickers.RESULTS]
    return pickers.answer(found)


@bp.get("/lists/<int:walk_list_id>/assignable")
@lead_or_organiser_required
def picker_volunteers(walk_list_id: int):
    text, session = pickers.search_text(request.args), get_session()
    get_list(session, walk_list_id, scope=area_scope(session, principal=current_user))  # 404 / 403 first
    found = pickers.search_volunteers(session, text=text, taken=pickers.holders(session, walk_list_id),
                                      member_ids=team_member_ids(session, principal=current_user))
    return pickers.answer([(str(u.id), pickers.volunteer_label(u)) for u in found])

