"""Organiser pages: the universes, the builder (a plain form; universes.js adds the live count and
adds and removes conditions in place), and the JSON count. Organisers build and change universes;
team leads see them, count them and cut from them inside their own areas."""
from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from ..auth.access import area_scope
from ..auth.decorators import lead_or_organiser_required, roles_required
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import LegworkError, ValidationError
from ..models import Election
from ..params import int_arg
from . import choices, forms, operations, queries
from . import tree as trees
from .blueprint import bp
from .describe import describe


def _options(session, draft: dict) -> dict:
    conf = settings()
    elections = session.exec(select(Election).order_by(Election.polling_date.desc())).all()
    return {
        **choices.options(session, threshold=choices.threshold()),
        "chosen": choices.chosen_labels(session, draft=draft),
        "election": [(e.id, f"{e.name} ({e.polling_date:%d %b %Y})") for e in elections],
        "levels": list(conf.support_scale), "issues": [(i, i) for i in conf.issues],
        "door_codes": [(c.code, c.label) for c in conf.codes("door").values()],
        "phone_codes": [(c.code, c.label) for c in conf.codes("phone").values()],
        "flags": list(trees.FLAGS.items()), "kinds": forms.KIND_LABELS,
    }


# Past this many people, an opened builder is counted by the page's script as soon as it loads (or
# by "Show count" without one), not before the page is sent: a state's "everyone" is a pass over
# millions of people (0.45 s at 5 million), which held every opening of the builder back. (The
# app's COUNT_ON_PAGE_MAX overrides: tests.)
COUNT_ON_PAGE_MAX = 200_000


def _builder(*, universe=None, draft: dict, name: str, status: int = 200, counted=None, error: str = "",
             opened: bool = False):
    """opened: the page is opened (a GET), not answering the builder's buttons: a large campaign's
    count is then left to the page (see COUNT_ON_PAGE_MAX)."""
    session = get_session()
    later = opened and not queries.people_at_most(
        session, limit=int(current_app.config.get("COUNT_ON_PAGE_MAX", COUNT_ON_PAGE_MAX)))
    if counted is None and not error and not later:
        try:
            tree = queries.checked(session, forms.tree_from_draft(draft), settings=settings())
            counted = queries.count(session, tree=tree, settings=settings())
        except LegworkError as err:
            error = err.message
    return render_template("universes/builder.html", universe=universe, draft=forms.numbered(draft),
                           name_form=forms.NameForm(formdata=None, name=name), counted=counted, error=error,
                           options=_options(session, draft), params=forms.PARAMS, count_later=later), status


@bp.get("")
@lead_or_organiser_required
def index():
    session = get_session()
    rows = []
    for universe in queries.all_universes(session):
        try:
            text = describe(session, tree=queries.definition(universe, settings=settings()), settings=settings())
        except ValidationError as err:
            text = err.message
        rows.append((universe, text))
    return render_template("universes/index.html", rows=rows, organiser=current_user.has_role("organiser"),
                           delete_form=forms.NameForm(formdata=None))


@bp.get("/new")
@roles_required("organiser")
def new():
    return _builder(draft=forms.blank("and"), name="", opened=True)


@bp.get("/<int:universe_id>")
@lead_or_organiser_required
def show(universe_id: int):
    session = get_session()
    universe = queries.get_universe(session, universe_id=universe_id)
    if current_user.has_role("organiser"):
        try:
            draft = forms.draft_from_tree(queries.definition(universe, settings=settings()))
        except ValidationError as err:
            flash(err.message, "error")
            draft = forms.draft_from_tree(trees.loads(universe.definition))
        return _builder(universe=universe, draft=draft, name=universe.name, opened=True)
    # A team lead: what it selects, counted inside their areas.
    tree = queries.definition(universe, settings=settings())
    counted = queries.count(session, tree=tree, settings=settings(), scope=area_scope(session, principal=current_user))
    return render_template("universes/show.html", universe=universe, counted=counted,
                           text=describe(session, tree=tree, settings=settings()))


@bp.post("/new", endpoint="create")
@bp.post("/<int:universe_id>", endpoint="update")
@roles_required("organiser")
def submit(universe_id: int | None = None):
    """The builder's buttons: add or remove a condition or group, count, save."""
    session = get_session()
    universe = queries.get_universe(session, universe_id=universe_id) if universe_id else None
    form = forms.NameForm()
    if not form.validate_on_submit():
        raise ValidationError(" ".join(e for errs in form.errors.values() for e in errs))
    draft, name = forms.draft_from_form(request.form), form.name.data or ""
    action = request.form.get("action", "count")
    if action not in ("count", "save"):
        draft = forms.apply_action(draft, action)
    typo = choices.add_picks(session, draft=draft)  # names typed into a condition's search
    if typo:
        return _builder(universe=universe, draft=draft, name=name, status=400, error=typo)
    if action not in ("count", "save"):
        return _builder(universe=universe, draft=draft, name=name)
    if action == "count":
        return _builder(universe=universe, draft=draft, name=name)
    raw, actor, conf = forms.tree_from_draft(draft), current_user, settings()
    try:
        if universe is None:
            saved = write_transaction(session, lambda s: operations.create_universe(
                s, name=name, definition=raw, settings=conf, actor=actor))
        else:
            saved = write_transaction(session, lambda s: operations.update_universe(
                s, universe_id=universe_id, name=name, definition=raw, settings=conf, actor=actor))
    except LegworkError as err:
        session.rollback()
        return _builder(universe=universe, draft=draft, name=name, status=err.status, error=err.message)
    flash(f"Saved the universe {saved.name}.", "success")
    return redirect(url_for("universes.show", universe_id=saved.id))


@bp.post("/<int:universe_id>/delete")
@roles_required("organiser")
def delete(universe_id: int):
    if not forms.NameForm().validate_on_submit():
        raise ValidationError("This form has expired; reload the page and try again.")
    actor = current_user
    name = write_transaction(get_session(), lambda s: operations.delete_universe(s, universe_id=universe_id, actor=actor))
    flash(f"Deleted the universe {name}.", "success")
    return redirect(url_for("universes.index"))


@bp.route("/count", methods=["GET", "POST"])
@lead_or_organiser_required
def count():
    """JSON {"people", "households"}: of a saved universe (GET ?universe=<id>; no id: everyone) or
    of a tree (POST {"definition": tree}); a team lead's inside their areas."""
    session = get_session()
    if request.method == "GET":
        universe_id = int_arg(request.args, "universe", "Universe", hint="must be chosen from the list")
        tree = (queries.definition(queries.get_universe(session, universe_id=universe_id), settings=settings())
                if universe_id is not None else {"kind": "and", "of": []})  # everyone
    else:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or "definition" not in body:
            raise ValidationError('Send JSON like {"definition": {"kind": "and", "of": []}}.')
        tree = queries.checked(session, body["definition"], settings=settings())
    counted = queries.count(session, tree=tree, settings=settings(), scope=area_scope(session, principal=current_user))
    return jsonify(counted.as_dict())


@bp.get("/choices/<kind>")
@roles_required("organiser")
def choice_search(kind: str):
    """The builder's searches (picker.js): JSON {"results": [{"value": id, "label"}]} of the wards,
    neighbourhoods or walk lists whose name holds ?q=."""
    if kind not in choices.MODELS:
        abort(404)
    picker = choices.pickers()
    return picker.answer(choices.search(get_session(), kind=kind, text=picker.search_text(request.args)))
