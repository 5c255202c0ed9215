"""Who may see which household: the one place privacy rules live.

Organisers see everything. A canvasser sees the households on walk lists currently assigned to
them; a PIN joiner the households on their one list; a caller the households of the people
they have claimed from the call queue or called. Everything else is hidden.

A hold that ended (list released, volunteer unassigned, PIN revoked) still lets its holder hand
in the doors they recorded while they held it, for ``[canvass] late_grace_hours`` after it ended
(``lapsed_holds`` and ``late_verdict``); it lets them read nothing.

Team leads run their teams' areas as an organiser runs the campaign (``area_scope`` and the
``*_in_scope`` helpers at the end): on the organiser's pages they read the lists, call sheets,
maps, figures and exports inside those areas only. The phone's pages and API still follow the
household rules above: a lead canvasses only the lists assigned to them.

The rules live in this package, by subject: ``roles`` (organiser, account, lead, host),
``doors`` (households and walk lists), ``holds`` (ended holds and late doors), ``scope`` (a lead's
areas), ``selfserve`` (who may canvass near them), ``lifts`` (polling day's drivers and committee rooms),
``relational`` (people a volunteer knows). Callers import them from here.
"""
from .doors import DoorAccess, door_access, require_households, require_list, visible_household_ids, visible_list_ids
from .relational import may_know_people, require_knows_people, require_own_entry
from .lifts import holds_lift, may_drive, may_run_polling_day, require_lift_holder
from .holds import Hold, closed_message, lapsed_holds, late_grace, late_verdict
from .roles import (can_lead_team, is_organiser, is_user, lead_team_ids, may_create_events, may_edit_training, may_lead,
                    may_manage_event, may_take_training, may_tell, member_team_ids, require_training, team_member_ids)
from .selfserve import SelfServeAccess, selfserve_access
from .scope import (Scope, area_scope, in_scope, list_in_scope, require_list_in_scope, require_neighbourhood_in_scope,
                    require_sheet_in_scope, scope_area_clause, scope_list_clause, scope_wards, sheet_in_scope, ward_scope,
                    team_work_ids, teams_scope)

__all__ = [
    "DoorAccess", "door_access", "require_households", "require_list", "visible_household_ids", "visible_list_ids",
    "may_know_people", "require_knows_people", "require_own_entry",
    "holds_lift", "may_drive", "may_run_polling_day", "require_lift_holder",
    "Hold", "closed_message", "lapsed_holds", "late_grace", "late_verdict",
    "can_lead_team", "is_organiser", "is_user", "lead_team_ids", "may_create_events", "may_edit_training", "may_lead",
    "may_manage_event", "may_take_training", "may_tell", "member_team_ids", "require_training", "team_member_ids",
    "Scope", "area_scope", "in_scope", "list_in_scope", "require_list_in_scope", "require_neighbourhood_in_scope",
    "require_sheet_in_scope", "scope_area_clause", "scope_list_clause", "scope_wards", "sheet_in_scope", "ward_scope",
    "team_work_ids", "teams_scope", "SelfServeAccess", "selfserve_access",
]
