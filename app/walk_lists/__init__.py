"""A walk list's life: cut an area into turfs (``walklists.cut_turf``), save them, assign
volunteers, hand out PINs, release; and how far each list has got. Organiser pages, the canvasser's
pages, maps, dashboard, CLI and demo all call these."""
from .assignments import assign, unassign
from .operations import Proposal, ProposedTurf, cut_area, get_list, release_list, save_lists
from .pins import check_pin, create_pin, revoke_pin
from .progress import ListProgress, list_progress, progress_by_id

__all__ = ["Proposal", "ProposedTurf", "cut_area", "save_lists", "get_list", "assign", "unassign", "release_list",
           "create_pin", "revoke_pin", "check_pin", "ListProgress", "list_progress", "progress_by_id"]
