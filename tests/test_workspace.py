"""The workspace (`govinspect serve`) in real Chromium: sign-in, overview, filters, triage, refusals, XSS, screenshots."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import AS_OF, REPO, audit_site, run_cli, write_config
from test_report_html import ARTIFACTS, CHROMIUM, FLAGS
from test_reports import ATTRIBUTE, SCRIPT, hostile_site

EDITOR, VIEWER = ("alice", "correct horse 1"), ("bob", "battery staple 2")
SCREENSHOTS = '\n[report]\nscreenshots = true\n'


def columns(base: str) -> str:
    return f'\n[[columns]]\nname = "工作动态"\nurl = "{base}news/list.html"\ncategory = "dynamic"\n'


def add_user(db: Path, name: str, password: str, role: str):
    return subprocess.run([sys.executable, "-m", "govinspect", "user", "add", name, "--role", role,
                           "--password-stdin", "--db", str(db)], input=password + "\n", capture_output=True,
                          text=True, cwd=REPO, timeout=60)


@contextmanager
def serving(db: Path):
    """`govinspect serve` on a free loopback port, as a person starts it; yields its base URL."""
    process = subprocess.Popen([sys.executable, "-m", "govinspect", "serve", "--db", str(db), "--port", "0"],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, line + process.stderr.read()
        yield match.group(0)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


@pytest.fixture(scope="module")
def site(module_site_server, tmp_path_factory):
    """The hostile site audited twice with screenshots, two accounts, and the workspace serving its database."""
    if CHROMIUM is None:
        pytest.skip("chromium not found: install Debian's chromium package (apt-get install -y chromium)")
    folder = tmp_path_factory.mktemp("workspace")
    routes = hostile_site()
    base = module_site_server(routes)
    audit_site(folder, base, columns(base) + SCREENSHOTS)
    # The second run sees two new broken links on the homepage (the server reads the same Route object).
    routes["/"].body = routes["/"].body.replace("</ul>", '<li><a href="/gone2.html">旧专题</a></li>'
                                                         '<li><a href="/gone3.html">新专题</a></li></ul>')
    report = audit_site(folder, base, columns(base) + SCREENSHOTS)
    db = folder / "govinspect.db"
    for (name, password), role in ((EDITOR, "editor"), (VIEWER, "viewer")):
        assert add_user(db, name, password, role).returncode == 0
    with serving(db) as url:
        yield {"folder": folder, "db": db, "url": url, "report": report, "base": base, "routes": routes}


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium not found: install Debian's chromium package (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield instance
        instance.close()


def sign_in(browser, url: str, user: tuple[str, str]):
    """A fresh browser context signed in as `user`, with every dialog and page error recorded on it."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.seen = {"dialogs": [], "errors": []}
    page.on("dialog", lambda dialog: (page.seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.seen["errors"].append(str(error)))
    # A Content-Security-Policy violation (an inline style htmx would add, a payload that got out) logs an error.
    page.on("console", lambda message: page.seen["errors"].append(message.text) if message.type == "error" else None)
    page.goto(url + "login")
    page.fill("input[name=name]", user[0])
    page.fill("input[name=password]", user[1])
    page.click("button[type=submit]")
    page.wait_for_url(url)
    return context, page


@pytest.fixture
def editor(browser, site):
    context, page = sign_in(browser, site["url"], EDITOR)
    yield page
    context.close()


def query(db: Path, sql: str, params=()) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, params).fetchall()


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"workspace-{name}.png"), full_page=True)


def test_overview_shows_health_veto_counts_and_trend(editor, site):
    page = editor
    assert "运行状态：正常" in page.inner_text("#health-state")
    assert page.locator("#veto tbody tr").count() == len(site["report"]["summary"]["veto"])
    open_total = query(site["db"], "select count(*) from findings where status = 'open'")[0][0]
    assert page.inner_text("#open-total") == str(open_total)
    assert page.locator("#trend svg polyline").count() >= 2  # a line per category over the two runs
    assert page.locator("#trend svg g.series").first.locator("circle").count() == 2
    cookie = next(c for c in page.context.cookies() if c["name"] == "govinspect_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert not page.seen["errors"]
    shoot(page, "overview")


def test_filter_search_paginate_and_open_a_finding(editor, site):
    page = editor
    page.goto(site["url"] + "findings?status=all")
    total = query(site["db"], "select count(*) from findings")[0][0]
    assert page.inner_text("#count").startswith(f"共 {total} 条")
    page.select_option("#f-severity", "major")  # htmx swaps the list and pushes the URL
    majors = query(site["db"], "select count(*) from findings where severity = 'major'")[0][0]
    expect(page.locator("#count")).to_have_text(re.compile(f"^共 {majors} 条"))
    assert "severity=major" in page.url
    assert set(page.locator("#findings-table tbody td.n:first-child").all_inner_texts()) == {"重要"}
    page.select_option("#f-severity", "")
    expect(page.locator("#count")).to_have_text(re.compile(f"^共 {total} 条"))
    page.fill("#f-q", "gone3")  # typing searches as it goes
    expect(page.locator("#findings-table tbody tr[data-id]")).to_have_count(1)
    shoot(page, "findings")
    page.click("#findings-table a.open")
    page.wait_for_url(re.compile(r".*/findings/[0-9a-f]{16}$"))
    assert "gone3.html" in page.inner_text(".facts") and "链接" in page.inner_text("h1")
    assert page.locator("#sightings tbody tr").count() == 1  # first seen by the second run
    assert not page.seen["errors"]


def test_triage_in_the_browser_is_an_event_in_the_history(editor, site):
    page = editor
    fid = query(site["db"], "select id from findings where subject like '%gone.html' and status = 'open'")[0][0]
    page.goto(site["url"] + f"findings/{fid}")
    page.fill("#assign-to", "王科长")
    page.click("#do-assign")
    page.wait_for_selector("#assignee")
    page.fill("#deadline-date", "2026-12-31")
    page.click("#do-deadline")
    page.wait_for_selector("#deadline")
    page.fill("#ignore-reason", "专题已撤销，链接保留供存档")
    page.click("#do-ignore")
    expect(page.locator("#status")).to_have_text("已忽略")
    events = page.locator("#events li").all_inner_texts()
    assert len(events) == 3 and "alice" in events[0] and "忽略（误报）" in events[0] and "专题已撤销" in events[0]
    assert "王科长" in page.inner_text("#assignee") and page.inner_text("#deadline") == "2026-12-31"
    shoot(page, "finding-triaged")
    status, triage, reason = query(site["db"], "select status, triage, triage_reason from findings where id = ?",
                                   [fid])[0]
    assert (status, triage, reason) == ("ignored", "ignored", "专题已撤销，链接保留供存档")
    stored = query(site["db"], "select actor, source, action from finding_events where finding_id = ? order by id",
                   [fid])
    assert stored == [("alice", "web", "assign"), ("alice", "web", "deadline"), ("alice", "web", "ignore")]
    # The command line writes the same events, shown in the same history.
    result = run_cli("triage", fid, "--reopen", "--db", str(site["db"]))
    assert result.returncode == 0, result.stderr
    page.reload()
    assert page.inner_text("#status") == "待整改"
    assert "（命令行）" in page.locator("#events li").first.inner_text()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with closing(sqlite3.connect(site["db"])) as conn:
            conn.execute("delete from finding_events")


def test_an_ignore_without_reason_is_refused(editor, site):
    fid = query(site["db"], "select id from findings where status = 'open' order by id limit 1")[0][0]
    token = editor.locator("input[name=csrf]").first.get_attribute("value")
    answer = editor.request.post(site["url"] + f"findings/{fid}/events", form={"csrf": token, "action": "ignore"})
    assert answer.status == 400 and "需要填写原因" in answer.text()
    assert query(site["db"], "select status from findings where id = ?", [fid])[0][0] == "open"


def test_a_viewer_reads_but_cannot_triage(browser, site):
    context, page = sign_in(browser, site["url"], VIEWER)
    fid = query(site["db"], "select id from findings where status = 'open' order by id limit 1")[0][0]
    page.goto(site["url"] + f"findings/{fid}")
    assert "只读" in page.inner_text("#who") and page.locator("#triage form").count() == 0
    events = "select count(*) from finding_events where finding_id = ?"
    before = query(site["db"], events, [fid])[0][0]  # earlier tests of the module may have triaged it
    token = page.locator("input[name=csrf]").first.get_attribute("value")  # the viewer's own, valid token
    answer = page.request.post(site["url"] + f"findings/{fid}/events",
                               form={"csrf": token, "action": "fixed"})
    assert answer.status == 403 and "只读账号不能处理问题" in answer.text()
    assert query(site["db"], events, [fid])[0][0] == before
    context.close()


def test_forms_without_the_csrf_token_are_refused(editor, browser, site):
    fid = query(site["db"], "select id from findings where status = 'open' order by id limit 1")[0][0]
    before = query(site["db"], "select count(*) from finding_events")[0][0]
    for form in ({"action": "fixed"}, {"action": "fixed", "csrf": "forged"}):
        answer = editor.request.post(site["url"] + f"findings/{fid}/events", form=form)
        assert answer.status == 403 and "CSRF" in answer.text()
    assert query(site["db"], "select count(*) from finding_events")[0][0] == before
    # The sign-in form too: a right password without the form's token does not sign in.
    context = browser.new_context()
    answer = context.request.post(site["url"] + "login", form={"name": EDITOR[0], "password": EDITOR[1]},
                                  max_redirects=0)
    assert answer.status == 403 and not [c for c in context.cookies() if c["name"] == "govinspect_session"]
    context.close()


def test_page_titles_with_markup_stay_inert_everywhere(editor, site):
    page = editor
    ids = [row[0] for row in query(site["db"], "select id from findings where subject like '%/news/xss.html' or "
                                               "subject like '%/news/attr.html'")]
    assert ids
    urls = ["", "findings?status=all", "findings?status=all&q=news", "runs", *[f"findings/{i}" for i in ids]]
    shown = ""
    for path in urls:
        answer = page.goto(site["url"] + path)
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        page.wait_for_timeout(200)
        shown += page.inner_text("body")
        assert page.locator("img[src=x], script:not([src])").count() == 0
    assert SCRIPT in shown and ATTRIBUTE in shown  # shown as text, never as markup
    assert not page.seen["dialogs"] and not page.seen["errors"]
    page.goto(site["url"] + "findings?status=all&q=news")
    shoot(page, "hostile-titles")


def test_evidence_screenshots_render_marked_and_masked(editor, site):
    page = editor
    shots = query(site["db"], "select id, url, length(png), marks, masked from screenshots "
                              "where run_id = (select max(id) from runs)")
    assert shots and all(size <= 800 * 1024 for _, _, size, _, _ in shots)
    people = next(s for s in shots if s[1].endswith("/news/people.html"))
    assert people[4] >= 1  # the ID and mobile numbers in the page's text were masked before the picture
    marked = next(s for s in shots if json.loads(s[3]))
    fid = json.loads(marked[3])[0]
    page.goto(site["url"] + f"findings/{fid}")
    image = page.locator("figure.shot img").first
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") == 1280
    shoot(page, "finding-screenshot")
    answer = page.request.get(site["url"] + f"screenshots/{people[0]}.png")
    assert answer.headers["content-type"] == "image/png" and answer.body().startswith(b"\x89PNG")
    html = (site["folder"] / "reports" / "report.html").read_text(encoding="utf-8")
    assert html.count('<figure class="shot"') >= 1 and "data:image/png;base64," in html
    from docx import Document

    assert len(Document(site["folder"] / "reports" / "self-inspection.docx").inline_shapes) >= 1


def test_an_audit_writes_while_the_workspace_serves(editor, site):
    page = editor
    config = write_config(site["folder"] / "site.toml", site["base"], columns(site["base"]))
    audit = subprocess.Popen([sys.executable, "-m", "govinspect", "audit", "-c", str(config), "--db",
                              str(site["db"]), "--out", str(site["folder"] / "reports3"), "--as-of",
                              AS_OF.isoformat()], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    statuses = []
    deadline = time.monotonic() + 240
    while audit.poll() is None and time.monotonic() < deadline:
        for path in ("", "findings?status=all", "runs"):
            statuses.append(page.request.get(site["url"] + path).status)
    out, err = audit.communicate(timeout=60)
    assert audit.returncode == 0, err
    assert statuses and set(statuses) == {200}
    page.goto(site["url"] + "runs")
    assert page.locator("#runs-table tbody tr").count() == 3
    page.select_option("#since", "1")
    page.select_option("#run", "3")
    page.click("#compare")
    assert page.inner_text("#diff-new") == str(len(query(site["db"], """select 1 from finding_runs a where run_id = 3
        and not exists (select 1 from finding_runs b where b.finding_id = a.finding_id and b.run_id = 1)
        and (select status from findings where id = a.finding_id) != 'ignored'""")))
    shoot(page, "runs")
    page.goto(site["url"] + "runs?since=3&run=1")
    assert page.inner_text("#diff-error") == "请选择较早的一次检查作为比较基准。"


def test_login_attempts_are_rate_limited(browser, site):
    with serving(site["db"]) as url:  # a server of its own: the lock-out is per address
        context = browser.new_context()
        page = context.new_page()
        for attempt in range(6):
            page.goto(url + "login")
            page.fill("input[name=name]", EDITOR[0])
            page.fill("input[name=password]", "wrong" if attempt < 5 else EDITOR[1])
            page.click("button[type=submit]")
        assert "登录失败次数过多" in page.inner_text("#login-error")
        assert not [c for c in context.cookies() if c["name"] == "govinspect_session"]
        context.close()


def test_accounts_on_the_command_line(tmp_path, site):
    import shutil

    db = tmp_path / "govinspect.db"
    shutil.copy(site["db"], db)
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("delete from sessions")
        conn.execute("delete from users")
    result = run_cli("serve", "--db", str(db), "--host", "0.0.0.0")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "no account" in result.stderr
    with serving(site["db"]) as url:  # the port taken
        result = run_cli("serve", "--db", str(db), "--port", url.rsplit(":", 1)[1].strip("/"))
        assert result.returncode == 2 and result.stderr.count("\n") == 1 and "cannot listen" in result.stderr
    for args, words in ((["carol", "short", "editor"], "at least 8"), (["carol", "long enough 1", "admin"], "role")):
        result = add_user(db, *args)
        assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr
    assert add_user(db, "carol", "long enough 1", "viewer").returncode == 0
    assert add_user(db, "carol", "long enough 2", "viewer").returncode == 2
    listed = run_cli("user", "list", "--db", str(db))
    assert listed.stdout.split()[:2] == ["carol", "viewer"]
    assert run_cli("user", "remove", "carol", "--db", str(db)).returncode == 0
    result = run_cli("user", "remove", "carol", "--db", str(db))
    assert result.returncode == 2 and "no user" in result.stderr


@pytest.mark.parametrize("command", [["serve"], ["user"], ["user", "add"], ["user", "list"], ["user", "remove"]])
def test_workspace_commands_have_help(command):
    result = run_cli(*command, "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout and len(result.stdout.splitlines()) > 4


def test_mistaken_triage_forms_say_why_in_chinese(editor, site):
    fid = query(site["db"], "select id from findings where status = 'open' order by id limit 1")[0][0]
    events = "select count(*) from finding_events where finding_id = ?"
    before = query(site["db"], events, [fid])[0][0]  # earlier tests of the module may have triaged it
    token = editor.locator("input[name=csrf]").first.get_attribute("value")
    for form, words in (({"action": "deadline", "deadline": "2026-02-30"}, "整改期限不是有效日期"),
                        ({"action": "assign", "assignee": "  "}, "指派需要填写责任人"),
                        ({"action": "delete"}, "未知的操作")):
        answer = editor.request.post(site["url"] + f"findings/{fid}/events", form={"csrf": token, **form})
        assert answer.status == 400 and words in answer.text()
    assert query(site["db"], events, [fid])[0][0] == before


def test_pages_of_the_list_cover_every_finding_once(browser, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "tests" / "benchmarks"))
    from export_speed import make_database

    db = tmp_path / "govinspect.db"
    make_database(db, 130, 200)
    assert add_user(db, *EDITOR, "editor").returncode == 0
    with serving(db) as url:
        context, page = sign_in(browser, url, EDITOR)
        page.goto(url + "findings?status=all&sort=url")
        seen = []
        while True:
            seen += page.eval_on_selector_all("#findings-table tbody tr[data-id]", "rows => rows.map(r => r.dataset.id)")
            if page.locator("#next-page").count() == 0:
                break
            shown = page.inner_text("#count")
            page.click("#next-page")  # htmx swaps the list in place
            expect(page.locator("#count")).not_to_have_text(shown)
        assert len(seen) == len(set(seen)) == 130 and "page=3" in page.url
        assert page.inner_text("#count") == "共 130 条，第 3 / 3 页"
        context.close()
