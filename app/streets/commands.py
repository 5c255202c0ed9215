"""CLI: import-streets (a thin wrapper over app.streets.importer)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import session_scope, write_transaction
from ..errors import LegworkError
from ..imports.commands import fail
from .importer import import_streets


@click.command("import-streets")
@click.argument("geojson", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name-field", help="Property holding the street name (default: the first of name, Street, "
                                   "Label, ... the file has).")
@click.option("--kind-field", help="Property holding the road class (default: highway, if present).")
@click.option("--id-field", help="Property holding each line's id (default: osm_id, id or ID, else its index).")
@with_appcontext
def import_streets_command(geojson, name_field, kind_field, id_field):
    """Replace the street network (centre-lines; footpaths count) with GEOJSON's line strings."""
    try:
        with session_scope(current_app) as session:
            report = write_transaction(session, lambda s: import_streets(
                s, source=geojson, name_field=name_field, kind_field=kind_field, id_field=id_field))
    except LegworkError as err:
        fail(err)
    click.echo(report.summary())


commands = [import_streets_command]
