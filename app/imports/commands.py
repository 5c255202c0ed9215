"""CLI: import-boundaries, import-addresses, import-postcodes, fake-people (thin wrappers over the importers)."""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..config import settings
from ..db import session_scope, write_transaction
from ..errors import LegworkError
from .addresses import import_addresses, write_report
from .boundaries import import_boundaries
from .centroids import import_centroids
from .fake_people import add_fake_people
from .mapping import Mapping

PROGRESS_FROM_ROWS = 5000  # smaller files finish before a bar would be any use


def fail(err: LegworkError) -> None:
    click.echo(f"Error: {err.message}", err=True)
    for line in err.details[:200]:
        click.echo(f"  {line}", err=True)
    if len(err.details) > 200:
        click.echo(f"  ... and {len(err.details) - 200} more", err=True)
    sys.exit(1)


@click.command("import-boundaries")
@click.argument("geojson", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--level", type=click.Choice(["ward", "neighbourhood"]), required=True)
@click.option("--name-field", required=True, help="Property holding each boundary's name.")
@click.option("--code-field", help="Property holding its unique code (default: the name).")
@click.option("--parent-field", help="Neighbourhoods: property holding the parent ward's code "
                                     "(default: the ward containing the neighbourhood).")
@with_appcontext
def import_boundaries_command(geojson, level, name_field, code_field, parent_field):
    """Import ward or neighbourhood boundaries from GEOJSON (upsert by code)."""
    try:
        with session_scope(current_app) as session:
            report = write_transaction(session, lambda s: import_boundaries(
                s, source=geojson, level=level, name_field=name_field, code_field=code_field,
                parent_field=parent_field))
    except LegworkError as err:
        fail(err)
    click.echo(report.summary())


class ProgressBar:
    """Adapts the importer's progress(done, total) callback to a click progress bar."""

    def __init__(self):
        self.bar = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < PROGRESS_FROM_ROWS * 2:
                return
            self.bar = click.progressbar(length=total, label="Importing", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self):
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.command("import-addresses")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", "mapping_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="TOML file saying which column is which field (see mappings/).")
@click.option("--postcodes", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Postcode centroid CSV (postcode, lat, lon) for files without coordinates.")
@click.option("--skip-bad", is_flag=True, help="Import the good rows and write a report of the bad ones.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where --skip-bad writes the bad rows (default: instance/import-report-<time>.csv).")
@with_appcontext
def import_addresses_command(csv_file, mapping_path, postcodes, skip_bad, report_path):
    """Import households (and people) from CSV_FILE; exits 1 when any row was rejected."""
    bar = ProgressBar()
    try:
        mapping = Mapping.load(mapping_path)
        region = settings().default_region
        with session_scope(current_app) as session:
            report = write_transaction(session, lambda s: import_addresses(
                s, csv_path=csv_file, mapping=mapping, postcodes_path=postcodes, skip_bad=skip_bad,
                default_region=region, progress=bar))
    except LegworkError as err:
        bar.close()
        fail(err)
    bar.close()
    finish_import(report, report_path)


def finish_import(report, report_path, *, exit_on_rejected: bool = True) -> None:
    """Print an address or register import's outcome; exit 1 when rows were rejected (--skip-bad)."""
    if report.rejected:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = write_report(report, report_path or Path(current_app.instance_path) / f"import-report-{stamp}.csv")
        for error in report.rejected[:20]:
            click.echo(f"  {error}", err=True)
        if len(report.rejected) > 20:
            click.echo(f"  ... and {len(report.rejected) - 20} more", err=True)
        click.echo(f"Rejected rows written to {path}", err=True)
    click.echo(report.summary())
    if report.rejected and exit_on_rejected:
        sys.exit(1)


def _range(_ctx, _param, value: str) -> tuple[int, int]:
    try:
        low, _, high = value.partition("-")
        return int(low), int(high or low)
    except ValueError:
        raise click.BadParameter("use A-B, e.g. 1-3") from None


@click.command("fake-people")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--per-household", default="1-3", show_default=True, callback=_range,
              help="How many made-up residents per household, as A-B.")
@click.option("--region", help="Phone region (default: default_region from config.toml).")
@with_appcontext
def fake_people_command(seed, per_household, region):
    """Add made-up residents (fictional numbers) to households that have no people."""
    try:
        region = region or settings().default_region
        with session_scope(current_app) as session:
            added = write_transaction(session, lambda s: add_fake_people(s, seed=seed, per_household=per_household,
                                                                         region=region))
    except LegworkError as err:
        fail(err)
    click.echo(f"Added {added} made-up residents.")


@click.command("import-postcodes")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-bad", is_flag=True, help="Import the good rows and list the bad ones.")
@with_appcontext
def import_postcodes_command(csv_file, skip_bad):
    """Import postcode centroids (postcode, lat, lon) from CSV_FILE for the get-involved page
    (upsert; exits 1 when any row was rejected)."""
    bar = ProgressBar()
    try:
        with session_scope(current_app) as session:
            report = import_centroids(session, source=csv_file, skip_bad=skip_bad, progress=bar)
    except LegworkError as err:
        bar.close()
        fail(err)
    bar.close()
    for error in report.rejected[:20]:
        click.echo(f"  {error}", err=True)
    if report.bad_rows > 20:
        click.echo(f"  ... and {report.bad_rows - 20} more", err=True)
    click.echo(report.summary())
    if report.bad_rows:
        sys.exit(1)


commands = [import_boundaries_command, import_addresses_command, import_postcodes_command, fake_people_command]
