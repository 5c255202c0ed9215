"""The organiser's import page: boundaries (GeoJSON), addresses/people (CSV + mapping), postcode
centroids and the US ballot-status file.
Thin: the importers in app/imports do the work; a bad file changes nothing."""
from __future__ import annotations

import io

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user

from ..auth.decorators import roles_required
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import LegworkError
from ..imports.addresses import import_addresses
from ..imports.boundaries import import_boundaries
from ..imports.centroids import import_centroids
from ..imports.forms import UPLOADED, AddressUploadForm, BoundaryUploadForm, PostcodeUploadForm
from ..imports.mapping import Mapping, MappingError, bundled_mappings
from ..models import Household, Neighbourhood, Person, Ward
from ..pollingday.ballot_mapping import BALLOT_MAPPING, BallotMapping
from ..pollingday.ballots import import_ballot_status
from ..pollingday.forms import BallotStatusUploadForm
from .blueprint import bp

MAX_ROWS_SHOWN = 500


def _page(status: int = 200, **context):
    session = get_session()
    counts = {label: session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()
              for label, model in (("wards", Ward), ("neighbourhoods", Neighbourhood),
                                   ("households", Household), ("people", Person))}
    context.setdefault("boundary_form", BoundaryUploadForm(prefix="b"))
    context.setdefault("address_form", AddressUploadForm(prefix="a"))
    context.setdefault("postcode_form", PostcodeUploadForm(prefix="p"))
    context.setdefault("ballot_form", BallotStatusUploadForm(prefix="v"))
    return render_template("organiser/imports.html", counts=counts, max_rows=MAX_ROWS_SHOWN, **context), status


def _actor():
    return {"actor_user_id": current_user.id, "actor_label": current_user.email or "organiser"}


def _text(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")


@bp.get("/imports")
@roles_required("organiser")
def imports():
    return _page()


@bp.post("/imports/boundaries")
@roles_required("organiser")
def imports_boundaries():
    form = BoundaryUploadForm(prefix="b")
    if not form.validate_on_submit():
        return _page(422, boundary_form=form)
    source, level, actor = form.geojson.data.read(), form.level.data, _actor()
    name_field = form.name_field.data.strip()
    code_field = (form.code_field.data or "").strip() or None
    parent_field = (form.parent_field.data or "").strip() or None
    try:
        report = write_transaction(get_session(), lambda s: import_boundaries(
            s, source=source, level=level, name_field=name_field, code_field=code_field,
            parent_field=parent_field, **actor))
    except LegworkError as err:
        return _page(err.status, boundary_form=form, error=err, error_form="boundaries")
    return _page(boundary_result=report)


def _mapping(form: AddressUploadForm) -> Mapping:
    if form.mapping.data == UPLOADED:
        upload = form.mapping_file.data
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise MappingError("the mapping file is not UTF-8 text") from None
        return Mapping.from_toml(text, source=upload.filename or "uploaded mapping")
    return Mapping.load(bundled_mappings()[form.mapping.data])


@bp.post("/imports/addresses")
@roles_required("organiser")
def imports_addresses():
    form = AddressUploadForm(prefix="a")
    if not form.validate_on_submit():
        return _page(422, address_form=form)
    # The files are read once here: the write below may run more than once.
    upload, postcodes = form.csv_file.data, form.postcodes_file.data
    csv_bytes, postcode_bytes = upload.read(), postcodes.read() if postcodes else None
    skip_bad, region, name, actor = form.skip_bad.data, settings().default_region, upload.filename, _actor()
    try:
        mapping = _mapping(form)
        report = write_transaction(get_session(), lambda s: import_addresses(
            s, csv_path=_text(csv_bytes), mapping=mapping,
            postcodes_path=_text(postcode_bytes) if postcode_bytes is not None else None,
            skip_bad=skip_bad, default_region=region, source_name=name, **actor))
    except LegworkError as err:
        return _page(err.status, address_form=form, error=err, error_form="addresses",
                     rejected=getattr(getattr(err, "report", None), "rejected", None))
    return _page(address_result=report, rejected=report.rejected)


@bp.post("/imports/postcodes")
@roles_required("organiser")
def imports_postcodes():
    """The get-involved page's postcode centroids. A national file (1.7 million rows) is larger than
    an upload may be: the page points to ``flask import-postcodes`` for that."""
    form = PostcodeUploadForm(prefix="p")
    if not form.validate_on_submit():
        return _page(422, postcode_form=form)
    data = form.csv_file.data.read()
    try:
        report = import_centroids(get_session(), source=_text(data), skip_bad=form.skip_bad.data)
    except LegworkError as err:
        return _page(err.status, postcode_form=form, error=err, error_form="postcodes")
    return _page(postcode_result=report)


@bp.post("/imports/ballot-status")
@roles_required("organiser")
def imports_ballot_status():
    """The US election office's daily ballot-status file (``flask import-ballot-status`` on the server)."""
    form = BallotStatusUploadForm(prefix="v")
    if not form.validate_on_submit():
        return _page(422, ballot_form=form)
    data, own, skip_bad, actor = form.csv_file.data.read(), form.mapping_file.data, form.skip_bad.data, _actor()
    try:
        if own:
            try:
                text = own.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise MappingError("the mapping file is not UTF-8 text") from None
            mapping = BallotMapping.from_toml(text, source=own.filename or "uploaded mapping")
        else:
            mapping = BallotMapping.load(BALLOT_MAPPING)
        report = write_transaction(get_session(), lambda s: import_ballot_status(
            s, source=_text(data), mapping=mapping, skip_bad=skip_bad, **actor))
    except LegworkError as err:
        return _page(err.status, ballot_form=form, error=err, error_form="ballot-status")
    return _page(ballot_result=report, rejected=report.rejected)
