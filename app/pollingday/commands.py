"""CLI: import-register, import-absent-voters, import-stations (thin wrappers over the importers)."""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import session_scope, write_transaction
from ..errors import LegworkError
from ..imports.commands import ProgressBar, fail, finish_import
from ..imports.mapping import Mapping
from .operations import create_election, set_committee_room
from .register import REGISTER_MAPPING, import_absent_voters, import_register
from .stations import import_stations

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("import-register")
@click.argument("csv_file", type=_FILE)
@click.option("--mapping", "mapping_path", type=_FILE, default=REGISTER_MAPPING, show_default=True,
              help="TOML mapping of the register's columns (see mappings/).")
@click.option("--postcodes", type=_FILE,
              help="Postcode centroid CSV (postcode, lat, lon); default: the table import-postcodes fills.")
@click.option("--absent", "absent_file", type=_FILE, help="Then mark postal / proxy voters from this list.")
@click.option("--skip-bad", is_flag=True, help="Import the good rows and write a report of the bad ones.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where --skip-bad writes the bad rows (default: instance/import-report-<time>.csv).")
@with_appcontext
def import_register_command(csv_file, mapping_path, postcodes, absent_file, skip_bad, report_path):
    """Import an electoral register export: people, households (by postcode) and elector numbers;
    a re-import updates people by elector number. Exits 1 when any row was rejected."""
    bar = ProgressBar()
    try:
        mapping = Mapping.load(mapping_path)
        with session_scope(current_app) as session:
            report = write_transaction(session, lambda s: import_register(
                s, csv_path=csv_file, mapping=mapping, postcodes_path=postcodes, skip_bad=skip_bad, progress=bar))
    except LegworkError as err:
        bar.close()
        fail(err)
    bar.close()
    finish_import(report, report_path, exit_on_rejected=False)
    if absent_file is not None:
        _absent(absent_file, skip_bad)
    if report.rejected:
        sys.exit(1)


def _absent(csv_file, skip_bad) -> None:
    try:
        with session_scope(current_app) as session:
            report = write_transaction(session, lambda s: import_absent_voters(s, csv_path=csv_file, skip_bad=skip_bad))
    except LegworkError as err:
        fail(err)
    for error in report.rejected[:20]:
        click.echo(f"  {error}", err=True)
    click.echo(report.summary())
    if report.rejected:
        sys.exit(1)


@click.command("import-absent-voters")
@click.argument("csv_file", type=_FILE)
@click.option("--skip-bad", is_flag=True, help="Mark the good rows and list the bad ones.")
@with_appcontext
def import_absent_voters_command(csv_file, skip_bad):
    """Mark postal (A) and proxy (P) voters from a list with the register's elector number
    columns and Elector Markers; every elector must already be on the register."""
    _absent(csv_file, skip_bad)


@click.command("import-stations")
@click.argument("geojson", type=_FILE)
@click.option("--name-field", default="LOCATION", show_default=True)
@click.option("--address-field", default="Address", show_default=True)
@click.option("--district-field", default="W_P", show_default=True,
              help="Property holding the code(s) of the districts voting there (comma-separated).")
@click.option("--note-field", default="LOCATION_NOTE", show_default=True)
@click.option("--skip-bad", is_flag=True, help="Import the good polling places and list the bad ones.")
@with_appcontext
def import_stations_command(geojson, name_field, address_field, district_field, note_field, skip_bad):
    """Import polling stations from a GeoJSON of polling places (upsert by name and address),
    each linked to the neighbourhoods (polling districts) whose codes it lists."""
    try:
        with session_scope(current_app) as session:
            report = write_transaction(session, lambda s: import_stations(
                s, source=geojson, name_field=name_field, address_field=address_field,
                district_field=district_field, note_field=note_field or None, skip_bad=skip_bad))
    except LegworkError as err:
        fail(err)
    for error in report.rejected[:20]:
        click.echo(f"  {error}", err=True)
    click.echo(report.summary())
    if report.rejected:
        sys.exit(1)


def _time(_ctx, _param, value: str):
    try:
        return datetime.strptime(value, "%H:%M").time()
    except ValueError:
        raise click.BadParameter("use HH:MM, e.g. 07:00") from None


@click.command("create-election")
@click.argument("name")
@click.option("--date", "polling_date", type=click.DateTime(["%Y-%m-%d"]), required=True, help="YYYY-MM-DD")
@click.option("--open", "polls_open", default="07:00", show_default=True, callback=_time, help="HH:MM, campaign time")
@click.option("--close", "polls_close", default="22:00", show_default=True, callback=_time, help="HH:MM, campaign time")
@click.option("--rehearsal", is_flag=True, help="A practice day on the same data.")
@with_appcontext
def create_election_command(name, polling_date, polls_open, polls_close, rehearsal):
    """Create an election (a polling day) with its hours on the campaign's clock."""
    try:
        with session_scope(current_app) as session:
            election = write_transaction(session, lambda s: create_election(
                s, name=name, polling_date=polling_date.date(), polls_open=polls_open, polls_close=polls_close,
                rehearsal=rehearsal))
    except LegworkError as err:
        fail(err)
    click.echo(f"Election {election.id}: {election.name} on {election.polling_date:%Y-%m-%d}, "
               f"polls {election.polls_open:%H:%M}-{election.polls_close:%H:%M}"
               + (" (rehearsal)" if election.rehearsal else ""))


@click.command("set-committee-room")
@click.argument("name")
@click.option("--districts", required=True, help="Codes of the polling districts it covers, comma-separated.")
@click.option("--address", default="")
@with_appcontext
def set_committee_room_command(name, districts, address):
    """Create or update a committee room and the polling districts it covers."""
    try:
        with session_scope(current_app) as session:
            room = write_transaction(session, lambda s: set_committee_room(
                s, name=name, address=address, district_codes=districts.split(",")))
    except LegworkError as err:
        fail(err)
    click.echo(f"Committee room {room.id}: {room.name}")


commands = [import_register_command, import_absent_voters_command, import_stations_command, create_election_command,
            set_committee_room_command]
