"""Legwork: canvassing and phone-bank field tool. ``create_app`` is the only way in."""
from __future__ import annotations

from flask import Flask

from . import clock, db, mail, params, security
from .config import load_config, settings  # noqa: F401  (settings re-exported for features)
from .extensions import csrf, init_limiter, login_manager


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    # Before any route is added: every <int:...> is a row id, bounded (404 beyond); no NUL anywhere.
    params.init_app(app)
    load_config(app, test_config)

    db.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    init_limiter(app)  # the phone API skips it: it has no limits
    security.init_app(app)
    clock.init_app(app)
    mail.init_app(app)

    from . import phonebank
    from .api import bp as api_bp
    from .auth import bp as auth_bp  # also registers the Flask-Login user loader
    from .canvass import bp as canvass_bp
    from .errors import bp as errors_bp
    from .events import bp as events_bp
    from .home import bp as home_bp
    from .maps import bp as maps_bp
    from .organiser import bp as organiser_bp
    from .pollingday import bp as pollingday_bp
    from .volunteers import bp as volunteers_bp
    from .training import bp as training_bp
    from . import teams
    from . import universes
    from .recruiting.views import bp as recruiting_bp
    from . import relational
    from . import surveys
    from . import nearme

    phonebank.init_app(app)  # its template filters
    teams.init_app(app)  # base.html's may_lead()
    surveys.init_app(app)  # the edited support scale over config.toml's; flask seed-survey
    nearme.init_app(app)  # the list page's live-walk sharing

    app.register_blueprint(errors_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(organiser_bp, url_prefix="/organiser")
    app.register_blueprint(canvass_bp, url_prefix="/canvass")
    app.register_blueprint(phonebank.bp, url_prefix="/phonebank")
    app.register_blueprint(maps_bp, url_prefix="/maps")
    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(volunteers_bp)
    app.register_blueprint(events_bp, url_prefix="/events")
    app.register_blueprint(pollingday_bp, url_prefix="/polling-day")
    app.register_blueprint(training_bp, url_prefix="/training")
    app.register_blueprint(teams.bp, url_prefix="/teams")
    app.register_blueprint(universes.bp, url_prefix="/organiser/universes")
    app.register_blueprint(recruiting_bp)
    app.register_blueprint(relational.bp)
    app.register_blueprint(surveys.bp, url_prefix="/organiser/survey")
    app.register_blueprint(nearme.bp, url_prefix="/nearme")
    from .fixes.views import bp as fixes_bp
    from .followups.views import bp as followups_bp
    app.register_blueprint(followups_bp, url_prefix="/organiser/follow-ups")
    app.register_blueprint(fixes_bp, url_prefix="/organiser/field-fixes")

    from .cli import register_commands
    register_commands(app)

    @app.context_processor
    def _campaign():
        return {"campaign": settings()}

    return app
