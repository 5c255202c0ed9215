"""CLI: import-ballot-status (US, daily), and after the poll import-marked-register and
record-early-votes (thin wrappers over app.pollingday.ballots and app.pollingday.history)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import session_scope, write_transaction
from ..errors import LegworkError
from ..imports.commands import fail, finish_import
from ..params import MAX_ID
from .ballot_mapping import BALLOT_MAPPING, BallotMapping
from .ballots import import_ballot_status
from .history import METHODS, import_marked_register, record_early_votes

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_REPORT = click.Path(dir_okay=False, path_type=Path)
_ELECTION = click.IntRange(1, MAX_ID)


@click.command("import-ballot-status")
@click.argument("csv_file", type=_FILE)
@click.option("--mapping", "mapping_path", type=_FILE, default=BALLOT_MAPPING, show_default=True,
              help="TOML mapping of the file's voter id, status and date columns (see mappings/ballot_status/).")
@click.option("--skip-bad", is_flag=True, help="Import the good rows and write a report of the bad ones.")
@click.option("--report", "report_path", type=_REPORT,
              help="Where --skip-bad writes the bad rows (default: instance/import-report-<time>.csv).")
@with_appcontext
def import_ballot_status_command(csv_file, mapping_path, skip_bad, report_path):
    """Import the election office's ballot-status file (requested, sent, returned, voted early,
    rejected), matching voters by voter id; run it daily. Exits 1 when any row was rejected."""
    try:
        mapping = BallotMapping.load(mapping_path)
        with session_scope(current_app) as session:
            report = write_transaction(session, lambda s: import_ballot_status(
                s, source=csv_file, mapping=mapping, skip_bad=skip_bad))
    except LegworkError as err:
        fail(err)
    finish_import(report, report_path)


@click.command("import-marked-register")
@click.argument("csv_file", type=_FILE)
@click.option("--election", "election_id", type=_ELECTION, required=True, help="The election's id.")
@click.option("--method", "default_method", type=click.Choice(METHODS), default="in_person", show_default=True,
              help="How the listed electors voted where the file has no method column (postal: the marked "
                   "postal voters list).")
@click.option("--number-column", help="The column holding the elector number (default: found by its name).")
@click.option("--method-column", help="The column saying in person or postal (default: found by its name).")
@click.option("--skip-bad", is_flag=True, help="Record the good rows and write a report of the bad ones.")
@click.option("--report", "report_path", type=_REPORT,
              help="Where --skip-bad writes the bad rows (default: instance/import-report-<time>.csv).")
@with_appcontext
def import_marked_register_command(csv_file, election_id, default_method, number_column, method_column, skip_bad,
                                   report_path):
    """After the poll: the marked register's elector numbers (AB-123, AB-123/1, or the register's
    three number columns) into each elector's voting history for the election. Idempotent."""
    try:
        with session_scope(current_app) as session:
            report = write_transaction(session, lambda s: import_marked_register(
                s, election_id=election_id, source=csv_file, skip_bad=skip_bad, default_method=default_method,
                number_column=number_column, method_column=method_column))
    except LegworkError as err:
        fail(err)
    finish_import(report, report_path)


@click.command("record-early-votes")
@click.option("--election", "election_id", type=_ELECTION, required=True, help="The election's id.")
@with_appcontext
def record_early_votes_command(election_id):
    """The US path: everyone whose ballot is returned (postal) or voted early (early) into their
    voting history for the election. Idempotent."""
    try:
        with session_scope(current_app) as session:
            report = write_transaction(session, lambda s: record_early_votes(s, election_id=election_id))
    except LegworkError as err:
        fail(err)
    click.echo(report.summary())


commands = [import_ballot_status_command, import_marked_register_command, record_early_votes_command]
