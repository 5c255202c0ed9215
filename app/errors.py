"""Domain errors, and the one place they (and HTTP errors) become responses.

Feature code raises these; views never build error responses by hand. API paths (and
requests that ask for JSON) get ``{"error": ..., "message": ...}``; pages get a page.
"""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from walklists import WalklistsError

bp = Blueprint("errors", __name__)


class LegworkError(Exception):
    """Base for errors a user can act on. ``status`` is the HTTP status it maps to."""

    status = 400
    kind = "bad_request"
    title = ""    # a page heading in place of the bare status code
    link = None   # (endpoint, text): where the page sends the reader next

    def __init__(self, message: str, *, details: list | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


class ValidationError(LegworkError):
    status = 422
    kind = "invalid"


class ImportRejected(ValidationError):
    """An import found bad rows/features; ``details`` lists them, nothing was written."""

    kind = "import_rejected"


class Forbidden(LegworkError):
    status = 403
    kind = "forbidden"


class ListClosed(Forbidden):
    """A walk list its holder no longer holds (released, unassigned, PIN revoked): 410 with its
    own kind, so the phone can tell it from other refusals and offer My lists."""

    status = 410
    kind = "list_closed"
    title = "This list is closed"
    link = ("canvass.my_lists", "My lists")


class NotFound(LegworkError):
    status = 404
    kind = "not_found"


class TooLarge(LegworkError):
    status = 413
    kind = "too_large"


class Conflict(LegworkError):
    status = 409
    kind = "conflict"


def flash_outcome(work, *, done: str) -> bool:
    """Run ``work()`` for a button on an organiser's page and flash how it went: a domain error's
    message, or ``done``. NotFound still answers 404 (a bad id is not a message on the page)."""
    try:
        work()
    except NotFound:
        raise
    except LegworkError as err:
        flash(err.message, "error")
        return False
    flash(done, "success")
    return True


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _respond(status: int, kind: str, message: str, details: list | None = None, *, title: str = "", link=None):
    if wants_json():
        body = {"error": kind, "message": message}
        if details:
            body["details"] = details
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message, details=details or [],
                           title=title, link=link), status


@bp.app_errorhandler(LegworkError)
def _domain_error(err: LegworkError):
    return _respond(err.status, err.kind, err.message, err.details, title=err.title, link=err.link)


@bp.app_errorhandler(WalklistsError)
def _walklists_error(err: WalklistsError):
    return _respond(422, "invalid", str(err))


@bp.app_errorhandler(CSRFError)
def _csrf_error(err: CSRFError):
    return _respond(400, "csrf", f"This form has expired or was not sent by Legwork ({err.description}). Reload the page and try again.")


@bp.app_errorhandler(HTTPException)
def _http_error(err: HTTPException):
    if err.code in (301, 302, 303, 307, 308) or err.code is None:
        return err
    messages = {
        401: "Please sign in.",
        403: "You do not have access to that.",
        404: "There is nothing here.",
        405: "That method is not allowed here.",
        413: "That upload is too large.",
        429: "Too many attempts. Wait a minute and try again.",
    }
    kind = (err.name or "error").lower().replace(" ", "_")
    return _respond(err.code, kind, messages.get(err.code, err.description or err.name))
