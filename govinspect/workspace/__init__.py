"""The browser workspace (`govinspect serve`): a Flask app over the same SQLite store the audits write."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g
from jinja2 import ChoiceLoader, FileSystemLoader

from govinspect.store import Store
from govinspect.workspace.accounts import LoginLimiter
from reports.cells import web_link
from reports.html import TEMPLATES as REPORT_TEMPLATES  # the trend chart, shared with the HTML report

HERE = Path(__file__).resolve().parent
# Nothing is loaded from anywhere but this server; no inline script or style, so an escaped payload cannot run.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def create_app(db_path: str | Path) -> Flask:
    app = Flask(__name__, static_folder=str(HERE / "static"), template_folder=str(HERE / "templates"))
    app.config.update(DB_PATH=str(db_path), MAX_CONTENT_LENGTH=64 * 1024, TEMPLATES_AUTO_RELOAD=False)
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(HERE / "templates")), FileSystemLoader(str(REPORT_TEMPLATES))])
    app.jinja_env.filters["link"] = web_link
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.extensions["login_limiter"] = LoginLimiter()

    @app.teardown_appcontext
    def close_store(_error) -> None:
        store = g.pop("store", None)
        if store is not None:
            store.close()

    @app.after_request
    def security_headers(response):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response

    from govinspect.workspace import views

    app.register_blueprint(views.blueprint)
    return app


def store() -> Store:
    """The request's store, opened once per request (each waitress thread has its own connection)."""
    from flask import current_app

    if "store" not in g:
        g.store = Store(current_app.config["DB_PATH"])
    return g.store
