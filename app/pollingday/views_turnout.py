"""After the poll: an election's turnout by polling district, from the voting history (the marked
register, or the ballot statuses of early and postal voters). Organisers only: it reads everyone."""
from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from ..auth.decorators import roles_required
from ..db import get_session
from ..models import Election
from .blueprint import bp
from .history import require_election, voting_history_summary


@bp.get("/elections/<int:election_id>/turnout")
@roles_required("organiser")
def turnout(election_id: int):
    session = get_session()
    found = require_election(session, election_id)
    election = {"id": found.id, "name": found.name, "polling_date": found.polling_date, "rehearsal": found.rehearsal}
    lines, total = voting_history_summary(session, election_id=election_id)
    others = session.execute(sa.select(Election.id, Election.name, Election.polling_date)
                             .where(Election.id != election_id).order_by(Election.polling_date.desc())).all()
    session.rollback()  # a read: end it, so a SQLite writer is not kept waiting on this snapshot
    return render_template("pollingday/turnout.html", election=election, lines=lines, total=total, others=others)
