"""Alerts after a scheduled run, received by real servers on 127.0.0.1: a tiny HTTP receiver for the
企业微信 / 钉钉 / generic JSON webhooks, and an aiosmtpd SMTP server with a login for the mail."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import socket
import sqlite3
import threading
import time
from contextlib import closing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import run_cli, write_config
from schedule_helpers import bureau_site, daemons, rows, wait_for  # noqa: F401 (daemons is a fixture)

PASSWORD = "Sjj-smtp-pw-7f3a9c"
WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DINGTALK_SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"


class Receiver:
    """Records every POST (path with query, JSON body) and answers with `reply`."""

    def __init__(self, reply: dict | None = None, status: int = 200):
        self.posts: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.posts.append({"path": self.path, "type": self.headers.get("Content-Type"),
                                       "json": json.loads(body.decode("utf-8"))})
                answer = json.dumps(reply if reply is not None else {"errcode": 0, "errmsg": "ok"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(reply: dict | None = None, status: int = 200) -> Receiver:
        made.append(Receiver(reply, status))
        return made[-1]

    yield make
    for r in made:
        r.close()


def alerts_config(folder: Path, base_url: str, alerts: str, name: str = "site.toml") -> Path:
    return write_config(folder / name, base_url, f"\n[alerts]\n{alerts}\n")


def audited(folder: Path, config: Path, db: Path) -> int:
    result = run_cli("audit", "-c", str(config), "--db", str(db), "--out", str(folder / "reports"))
    assert result.returncode == 0, result.stderr
    return max(r["id"] for r in rows(db, "select id from runs"))


def test_webhooks_carry_new_critical_findings_and_vetoes_in_each_format(site_server, tmp_path, receiver,
                                                                        monkeypatch):
    from govinspect.config import load_config
    from schedules.alerts import notify

    base_url = bureau_site(site_server)  # an undated homepage: 首页不更新, critical and a veto
    hook = receiver()
    db = tmp_path / "govinspect.db"
    monkeypatch.setenv("TEST_WECOM_URL", f"{hook.url}/cgi-bin/webhook/send?key={WECOM_KEY}")
    monkeypatch.setenv("TEST_DINGTALK_SECRET", DINGTALK_SECRET)
    configs = {
        "wecom": alerts_config(tmp_path, base_url, 'webhook_format = "wecom"\nwebhook_url_env = "TEST_WECOM_URL"',
                               "wecom.toml"),
        "dingtalk": alerts_config(tmp_path, base_url, f'webhook_format = "dingtalk"\n'
                                  f'webhook_url = "{hook.url}/robot/send"\n'
                                  'dingtalk_secret_env = "TEST_DINGTALK_SECRET"', "dingtalk.toml"),
        "json": alerts_config(tmp_path, base_url, f'webhook_url = "{hook.url}/hooks/govinspect"', "json.toml"),
    }
    first = audited(tmp_path, configs["json"], db)
    for fmt, path in configs.items():
        outcome = notify(load_config(path), str(db), first, report="/srv/reports/report.json")
        assert outcome == f"webhook ({fmt}) sent"
    wecom, dingtalk, generic = hook.posts

    assert wecom["path"] == f"/cgi-bin/webhook/send?key={WECOM_KEY}"
    assert wecom["json"]["msgtype"] == "markdown" and set(wecom["json"]) == {"msgtype", "markdown"}
    content = wecom["json"]["markdown"]["content"]
    assert "首页不更新" in content and "新增严重问题" in content and base_url in content
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d（UTC\+08:00） 全量自查", content)  # the site's time, labelled
    assert len(content.encode("utf-8")) <= 4096

    url = urlsplit(dingtalk["path"])
    assert url.path == "/robot/send"
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    expected = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(), f"{query['timestamp']}\n{DINGTALK_SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert query["sign"] == expected and abs(int(query["timestamp"]) / 1000 - time.time()) < 60
    assert dingtalk["json"]["msgtype"] == "markdown"
    assert dingtalk["json"]["markdown"]["title"].startswith("【网站自查】青山县审计局")
    assert "首页不更新" in dingtalk["json"]["markdown"]["text"]

    document = generic["json"]
    assert document["schema"] == "govinspect.alert/1" and document["run"]["id"] == first
    assert document["previous_run"] is None and document["report"] == "/srv/reports/report.json"
    assert "homepage.stale" in {f["check"] for f in document["new_critical"]}
    assert {"indicator": "首页不更新", "count": 1, "threshold": 1} in document["veto"]
    assert generic["type"] == "application/json; charset=utf-8"
    assert document["run"]["started_at"].endswith("+08:00") and document["run"]["finished_at"].endswith("+08:00")

    # The next run finds the same problems: nothing new, nothing sent.
    second = audited(tmp_path, configs["json"], db)
    assert notify(load_config(configs["json"]), str(db), second) is None
    assert len(hook.posts) == 3


def test_a_webhook_with_its_key_in_the_configuration_is_refused_and_a_refusing_robot_is_one_line(
        tmp_path, receiver):
    keyed = alerts_config(tmp_path, "http://127.0.0.1:9/", 'webhook_format = "wecom"\n'
                          'webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc123"', "keyed.toml")
    result = run_cli("schedule", "test-alert", "-c", str(keyed))
    assert result.returncode == 2 and f"{keyed}: alerts.webhook_url: holds a key" in result.stderr
    assert "abc123" not in result.stderr

    refusing = receiver({"errcode": 93000, "errmsg": "invalid webhook url"})
    config = alerts_config(tmp_path, "http://127.0.0.1:9/", 'webhook_format = "wecom"\n'
                           'webhook_url_env = "TEST_WECOM_URL"', "refused.toml")
    result = run_cli("schedule", "test-alert", "-c", str(config),
                     env={"TEST_WECOM_URL": f"{refusing.url}/cgi-bin/webhook/send?key={WECOM_KEY}"})
    assert result.returncode == 2 and "errcode 93000: invalid webhook url" in result.stderr
    assert result.stderr.count("\n") == 1 and WECOM_KEY not in result.stderr
    assert refusing.posts[0]["json"]["markdown"]["content"].startswith("【网站自查】青山县审计局：测试消息")

    unset = run_cli("schedule", "test-alert", "-c", str(config), env={"TEST_WECOM_URL": ""})
    assert unset.returncode == 2 and "TEST_WECOM_URL (alerts.webhook_url_env) is not set" in unset.stderr


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """aiosmtpd on 127.0.0.1 with AUTH LOGIN/PLAIN for one user: what it received, and the logins it saw."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    class Inbox:
        messages: list[dict] = []
        logins: list[tuple[str, str]] = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                  "data": envelope.content.decode("utf-8", "replace")})
            return "250 OK"

    inbox = Inbox()

    def authenticator(server, session, envelope, mechanism, auth_data):
        login, password = auth_data.login.decode(), auth_data.password.decode()
        inbox.logins.append((login, password))
        return AuthResult(success=(login, password) == ("sjj-alerts", PASSWORD))

    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


def test_the_daemon_mails_and_posts_after_a_run_and_the_password_stays_secret(site_server, tmp_path, receiver,
                                                                              smtp_server, daemons):
    from email import message_from_string
    from email.header import decode_header, make_header

    base_url = bureau_site(site_server)
    hook = receiver()
    config = write_config(tmp_path / "site.toml", base_url, (
        '\n[schedule]\nprobe_minutes = 0\n'  # a fresh database: the weekly full run is caught up at once
        f'\n[alerts]\nwebhook_url_env = "TEST_WECOM_URL"\nwebhook_format = "wecom"\n'
        f'smtp_host = "127.0.0.1"\nsmtp_port = {smtp_server.port}\nsmtp_security = "none"\n'
        'smtp_user = "sjj-alerts"\nmail_from = "govinspect@sjj.example.gov.cn"\n'
        'mail_to = ["office@sjj.example.gov.cn", "it@sjj.example.gov.cn"]\n'))
    db = tmp_path / "govinspect.db"
    daemon = daemons.start(config, db=db, env={"GOVINSPECT_SMTP_PASSWORD": PASSWORD,
                                               "TEST_WECOM_URL": f"{hook.url}/send?key={WECOM_KEY}"})
    done = wait_for(lambda: rows(db, "select * from schedule_runs where alert is not null"), timeout=40,
                    what="the alert")[0]
    assert daemons.stop(daemon) == 0
    assert done["alert"] == "webhook (wecom) sent; mail sent to 2"

    assert smtp_server.logins == [("sjj-alerts", PASSWORD)]
    mail = smtp_server.messages[0]
    assert mail["from"] == "govinspect@sjj.example.gov.cn"
    assert mail["to"] == ["office@sjj.example.gov.cn", "it@sjj.example.gov.cn"]
    message = message_from_string(mail["data"])
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject.startswith("【网站自查】青山县审计局：") and "首页不更新" in subject
    body = message.get_payload(decode=True).decode("utf-8")
    assert "新增严重问题" in body and base_url in body and "全量自查" in body
    assert "首页不更新" in hook.posts[0]["json"]["markdown"]["content"]

    # Never written anywhere: the log, stdout, the database (and its WAL), the job store, the reports.
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "daemon1.log" for p in written) and any(p.suffix == ".db" for p in written)
    for path in written:
        data = path.read_bytes()
        for secret in (PASSWORD, WECOM_KEY):
            assert secret.encode("utf-8") not in data, f"{secret} written to {path}"
