"""People you know (relational organising): a volunteer lists friends and neighbours, confirms
which register entry each is ("your neighbour on Mill Road: yes / no"), and records their talks
through the one contact path with channel "relational". ``matching`` finds the register entry,
``operations`` changes a list, ``queries`` reads it (and the organisers' counts), ``views`` serve
the pages, ``privacy`` is what the purge and subject-access exports take."""
from flask import Blueprint

bp = Blueprint("relational", __name__)

from . import views  # noqa: E402,F401  (registers the routes)
