"""The workspace's pages: sign-in, 概况, 问题清单, a finding with its triage, the runs and their difference."""

from __future__ import annotations

import hmac
import secrets
from functools import wraps

from flask import (Blueprint, Response, abort, current_app, g, make_response, redirect, render_template, request,
                   url_for)

from govinspect.events import ACTION_ZH, EventError, record
from govinspect.workspace import accounts, detail, queries, store
from reports.html import trend_chart
from reports.rows import SEVERITY_ORDER, SEVERITY_ZH, STATUS_ZH

blueprint = Blueprint("workspace", __name__)
SESSION_COOKIE = "govinspect_session"
LOGIN_CSRF_COOKIE = "govinspect_login_csrf"
PUBLIC = {"workspace.login", "static"}


def _cookie(response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="Strict", secure=request.is_secure,
                        path="/")


@blueprint.before_app_request
def signed_in():
    if request.endpoint == "static":  # htmx and the stylesheet: public, and no database to open for them
        return None
    g.user = accounts.session_user(store(), request.cookies.get(SESSION_COOKIE))
    if g.user is None and request.endpoint not in PUBLIC:
        if request.headers.get("HX-Request"):
            return Response(status=401, headers={"HX-Redirect": url_for("workspace.login")})
        return redirect(url_for("workspace.login", next=request.full_path if request.method == "GET" else None))
    if request.method == "POST" and request.endpoint != "workspace.login":
        sent = request.form.get("csrf") or request.headers.get("X-CSRF-Token") or ""
        if not hmac.compare_digest(sent.encode(), g.user["csrf"].encode()):
            abort(403, "表单已失效或缺少安全令牌（CSRF），请刷新页面后重试。")


@blueprint.app_context_processor
def common() -> dict:
    return {"user": g.get("user"), "csrf": (g.get("user") or {}).get("csrf", ""), "severity_zh": SEVERITY_ZH,
            "status_zh": STATUS_ZH, "action_zh": ACTION_ZH, "health_zh": queries.HEALTH_ZH}


@blueprint.app_errorhandler(400)
@blueprint.app_errorhandler(403)
@blueprint.app_errorhandler(404)
@blueprint.app_errorhandler(429)
def error_page(error):
    return render_template("error.html", code=error.code, message=error.description), error.code


def editor_only(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.user["role"] != "editor":
            abort(403, "只读账号不能处理问题。")
        return view(*args, **kwargs)
    return wrapper


def _site() -> dict:
    site = queries.current_site(store(), request.args.get("site", type=int))
    if site is None:
        abort(404, "数据库中还没有任何检查记录：请先运行 govinspect audit。")
    return site


# sign-in ---------------------------------------------------------------------------------------------------------

@blueprint.route("/login", methods=["GET", "POST"])
def login():
    message, status = "", 200
    if request.method == "POST":
        sent, expected = request.form.get("csrf", ""), request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
            abort(403, "表单已失效或缺少安全令牌（CSRF），请刷新页面后重试。")
        name, password = request.form.get("name", "").strip(), request.form.get("password", "")
        limiter = current_app.extensions["login_limiter"]
        keys = (f"addr:{request.remote_addr}", f"name:{name}")
        if limiter.blocked(*keys):
            message, status = "登录失败次数过多，请 5 分钟后再试。", 429
        elif (user := accounts.authenticate(store(), name, password)) is None:
            limiter.failed(*keys)
            message, status = "用户名或密码不正确。", 401
        else:
            target = request.args.get("next") or ""
            # Only a path of this site, never //other.host or a scheme.
            response = redirect(target if target.startswith("/") and not target.startswith("//") else url_for(
                "workspace.overview"))
            _cookie(response, SESSION_COOKIE, accounts.start_session(store(), user["name"]), None)
            response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
            return response
    token = secrets.token_urlsafe(32)
    response = make_response(render_template("login.html", login_csrf=token, message=message), status)
    _cookie(response, LOGIN_CSRF_COOKIE, token, 3600)
    return response


@blueprint.route("/logout", methods=["POST"])
def logout():
    accounts.end_session(store(), request.cookies.get(SESSION_COOKIE))
    response = redirect(url_for("workspace.login"))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# pages -----------------------------------------------------------------------------------------------------------

@blueprint.route("/")
def overview():
    site = _site()
    db = store()
    run = queries.latest_run(db, site["id"])
    counts, totals = queries.open_counts(db, site["id"])
    trend = queries.trend(db, site["id"])
    return render_template("overview.html", site=site, sites=queries.sites(db), run=run,
                           health=queries.health(run), veto=queries.veto_cases(db, run["id"]) if run else [],
                           counts=counts, totals=totals, severities=SEVERITY_ORDER, trend=trend,
                           chart=trend_chart(trend))


@blueprint.route("/findings")
def findings():
    site = _site()
    db = store()
    filters = queries.Filters.from_args(request.args)
    page = queries.findings_page(db, site["id"], filters)
    context = {"site": site, "page": page, "filters": filters}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render_template("_findings_table.html", **context)
    return render_template("findings.html", **context, sites=queries.sites(db),
                           choices=queries.choices(db, site["id"]), sorts=SORTS_ZH, severities=SEVERITY_ORDER)


SORTS_ZH = {"severity": "严重程度", "recent": "最近发现", "oldest": "最早发现", "check": "检查项", "url": "网址"}


@blueprint.route("/findings/<finding_id>")
def finding(finding_id: str):
    item = detail.finding(store(), finding_id)
    if item is None:
        abort(404, "没有这个问题。")
    return render_template("finding.html", f=item, error="")


@blueprint.route("/findings/<finding_id>/events", methods=["POST"])
@editor_only
def triage(finding_id: str):
    db = store()
    if detail.finding(db, finding_id) is None:
        abort(404, "没有这个问题。")
    form = request.form
    error = ""
    try:
        if form.get("action") == "ignore" and not (form.get("reason") or "").strip():
            # The command line's --reason stays optional (the contract); a person in the workspace says why.
            raise EventError("忽略（误报）需要填写原因")
        record(db, [finding_id], form.get("action", ""), actor=g.user["name"], source="web",
               reason=form.get("reason"), assignee=form.get("assignee"), deadline=form.get("deadline"),
               comment=form.get("comment"))
    except EventError as problem:
        error = str(problem)
    if request.headers.get("HX-Request"):
        return render_template("_triage.html", f=detail.finding(db, finding_id), error=error), 400 if error else 200
    if error:
        return render_template("finding.html", f=detail.finding(db, finding_id), error=error), 400
    return redirect(url_for("workspace.finding", finding_id=finding_id))


@blueprint.route("/runs")
def runs():
    site = _site()
    db = store()
    rows = detail.runs(db, site["id"])
    since, run = request.args.get("since", type=int), request.args.get("run", type=int)
    changes, error = None, ""
    if since and run:
        known = {r["id"] for r in rows}
        if since not in known or run not in known:
            error = "没有这次检查。"
        elif since >= run:
            error = "请选择较早的一次检查作为比较基准。"
        else:
            changes = detail.diff(db, since, run)
    return render_template("runs.html", site=site, sites=queries.sites(db), runs=rows, changes=changes,
                           error=error, since=since, run=run)


@blueprint.route("/screenshots/<int:shot_id>.png")
def screenshot(shot_id: int):
    png = detail.screenshot_png(store(), shot_id)
    if png is None:
        abort(404, "没有这张截图。")
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, max-age=3600"})
