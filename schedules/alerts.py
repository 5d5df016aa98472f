"""Notices after a scheduled run: new critical findings or a veto case that turned on, by webhook and/or mail.

Read from the store: the findings the run saw (`finding_runs`) against those of the site's previous checked
run, and the veto cases of `checks.summary` for both. Webhooks: 企业微信 and 钉钉 group robots (their
markdown messages; 钉钉's 加签 when a secret is given) or a generic JSON POST. Mail: SMTP with STARTTLS,
TLS or neither. Secrets (the keyed webhook URL, the 钉钉 secret, the SMTP password) come from environment
variables or a file named in the configuration, are masked in the log, and are never stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

from checks import summary
from govinspect.config import SiteConfig
from govinspect.health import HEALTH_ZH
from govinspect.store import Store
from reports.clock import iso, local, offset_label
from schedules.logs import add_secret

log = logging.getLogger("govinspect.alerts")

SCHEMA = "govinspect.alert/1"
LISTED = 10  # findings named in a notice; the rest are counted
MODES = {"incremental": "增量", "full": "全量"}


class AlertError(Exception):
    """A notice that could not go out: the message names the channel, never a secret."""


# what is new ----------------------------------------------------------------------------------------------

def changes(store: Store, run_id: int) -> dict:
    """{run, previous, new_critical: [finding…], veto_on: [case…]} of a run against the site's earlier ones."""
    health = store.health(run_id)
    if health[0] in ("failed", "interrupted"):
        # A run that saw nothing or part of the site says so; what it found is told after the next whole run.
        return {"run": store.run(run_id), "previous": None, "new_critical": [], "veto_on": [], "health": health}
    previous = store.previous_whole_run(run_id)
    before = [previous] if previous else []
    known = {f["id"] for other in before for f in summary.seen(store, other) if f["seen_severity"] == "critical"}
    new = [f for f in summary.seen(store, run_id) if f["seen_severity"] == "critical" and f["status"] == "open"
           and f["id"] not in known]
    was_on = {c["indicator"] for other in before for c in summary.veto(store, other) if c["state"] == "triggered"}
    veto_on = [c for c in summary.veto(store, run_id) if c["state"] == "triggered" and c["indicator"] not in was_on]
    return {"run": store.run(run_id), "previous": previous, "new_critical": new, "veto_on": veto_on, "health": health}


def compose(config: SiteConfig, found: dict, report: str | None = None) -> dict:
    """The notice as title, plain text, markdown and the generic JSON document."""
    run, new, veto = found["run"], found["new_critical"], found["veto_on"]
    name = config.site.name
    parts = []
    if veto:
        parts.append("单项否决 " + "、".join(c["indicator"] for c in veto))
    if new:
        parts.append(f"新增严重问题 {len(new)} 项")
    health, reasons = found.get("health") or ("ok", [])
    if health == "failed":
        parts.insert(0, "自查失败，网站无法打开")
    title = f"【网站自查】{name}：" + "，".join(parts or ["无新增严重问题"])
    zone = ZoneInfo(config.site.timezone)
    started = local(run["started_at"], zone)
    when = f"{started:%Y-%m-%d %H:%M}（{offset_label(zone, started)}）" if started else ""
    head = (f"{name}（{config.site.base_url}）{when} "
            f"{MODES.get(run['mode'], run['mode'])}自查，运行 {run['id']}")
    state = f"运行状态：{HEALTH_ZH[health]}" + (f"（{'；'.join(reasons)}）" if reasons else "")
    lines, marks = [head, state], [f"**{title}**", "", head, "", state]
    if veto:
        lines.append("单项否决触发：")
        marks.append("")
        marks.append("**单项否决触发：**")
        for case in veto:
            text = f"{case['indicator']}（{case['count']}/{case['threshold']}{'，估计' if case.get('note') else ''}）"
            lines.append("  " + text)
            marks.append(f"> {text}")
    if new:
        lines.append(f"新增严重问题（{len(new)}）：")
        marks.append("")
        marks.append(f"**新增严重问题（{len(new)}）：**")
        for number, finding in enumerate(new[:LISTED], start=1):
            lines.append(f"  {number}. {finding['title']}：{finding['message']}\n     {finding['subject']}")
            marks.append(f"{number}. {finding['title']}：{finding['message']}  \n[{finding['subject']}]"
                         f"({finding['subject']})")
        if len(new) > LISTED:
            lines.append(f"  ……另有 {len(new) - LISTED} 项，见报告")
            marks.append(f"……另有 {len(new) - LISTED} 项，见报告")
    if report:
        lines.append(f"报告：{report}")
        marks.extend(["", f"报告：{report}"])
    lines.append("—— govinspect 网站自查")
    marks.extend(["", "—— govinspect 网站自查"])
    document = {
        "schema": SCHEMA, "title": title, "text": "\n".join(lines),
        "site": {"name": name, "base_url": config.site.base_url},
        "run": {**{key: run[key] for key in ("id", "mode", "status", "as_of")},
                **{key: iso(run[key], zone) for key in ("started_at", "finished_at")},
                "health": health, "health_reasons": reasons},
        "previous_run": found["previous"],
        "new_critical": [{"id": f["id"], "check": f["check_id"], "title": f["title"], "url": f["subject"],
                          "message": f["message"], "pages": json.loads(f["pages"] or "[]")
                          if isinstance(f["pages"], str) else f["pages"]} for f in new],
        "veto": [{"indicator": c["indicator"], "count": c["count"], "threshold": c["threshold"]} for c in veto],
        "report": report,
    }
    return {"title": title, "text": "\n".join(lines), "markdown": "\n".join(marks), "json": document}


# secrets ---------------------------------------------------------------------------------------------------

def _env(name: str) -> str:
    value = os.environ.get(name, "") if name else ""
    add_secret(value)
    return value


def webhook_url(config: SiteConfig) -> str | None:
    alerts = config.alerts
    if alerts.webhook_url_env:
        url = _env(alerts.webhook_url_env)
        if not url:
            raise AlertError(f"webhook: the environment variable {alerts.webhook_url_env} "
                             "(alerts.webhook_url_env) is not set")
        for values in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).values():
            for value in values:
                add_secret(value)
        return url
    return alerts.webhook_url or None


def smtp_password(config: SiteConfig) -> str | None:
    alerts = config.alerts
    if alerts.password_file:
        try:
            password = Path(alerts.password_file).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise AlertError(f"mail: cannot read alerts.password_file {alerts.password_file} "
                             f"({error.strerror or type(error).__name__})") from None
        add_secret(password)
        return password
    return _env(alerts.password_env) or None


def _where(url: str) -> str:
    """A URL as the log may show it: scheme, host and path, never its query (the key)."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}{parts.path}"


# channels --------------------------------------------------------------------------------------------------

def _clip(text: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8 (the robots' limits are in bytes), cut at a character."""
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit - 10].decode("utf-8", "ignore") + "\n……"


def webhook_payload(fmt: str, notice: dict) -> dict:
    if fmt == "wecom":  # 企业微信群机器人: markdown up to 4096 bytes
        return {"msgtype": "markdown", "markdown": {"content": _clip(notice["markdown"], 4096)}}
    if fmt == "dingtalk":  # 钉钉群机器人: markdown, title shown in the notification
        return {"msgtype": "markdown", "markdown": {"title": notice["title"][:60],
                                                    "text": _clip(notice["markdown"], 5000)}}
    return notice["json"]


def _dingtalk_signed(url: str, secret: str) -> str:
    """钉钉 加签: timestamp (ms) and the Base64 HMAC-SHA256 of "timestamp\\nsecret", appended to the URL."""
    timestamp = str(round(time.time() * 1000))
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    add_secret(sign)
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def send_webhook(config: SiteConfig, notice: dict) -> str:
    alerts = config.alerts
    url = webhook_url(config)
    if not url:
        raise AlertError("webhook: no alerts.webhook_url or alerts.webhook_url_env")
    if alerts.webhook_format == "dingtalk" and alerts.dingtalk_secret_env:
        secret = _env(alerts.dingtalk_secret_env)
        if not secret:
            raise AlertError(f"webhook: the environment variable {alerts.dingtalk_secret_env} "
                             "(alerts.dingtalk_secret_env) is not set")
        url = _dingtalk_signed(url, secret)
    body = json.dumps(webhook_payload(alerts.webhook_format, notice), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "User-Agent": "govinspect alerts"})
    where = f"webhook ({alerts.webhook_format}) {_where(url)}"
    try:
        with urllib.request.urlopen(request, timeout=alerts.timeout_seconds) as response:
            answer = response.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        raise AlertError(f"{where}: HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise AlertError(f"{where}: {reason}") from None
    if alerts.webhook_format in ("wecom", "dingtalk"):
        try:
            reply = json.loads(answer)
        except ValueError:
            raise AlertError(f"{where}: the answer is not JSON: {answer[:100]!r}") from None
        if reply.get("errcode", 0) != 0:
            raise AlertError(f"{where}: errcode {reply.get('errcode')}: {reply.get('errmsg', '')}"[:300])
    return f"webhook ({alerts.webhook_format}) sent"


def send_mail(config: SiteConfig, notice: dict) -> str:
    alerts = config.alerts
    message = EmailMessage()
    message["Subject"] = notice["title"]
    message["From"] = alerts.mail_from
    message["To"] = ", ".join(alerts.mail_to)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=alerts.mail_from.rpartition("@")[2] or None)
    message.set_content(notice["text"] + "\n")
    port = alerts.smtp_port or {"ssl": 465, "starttls": 587, "none": 25}[alerts.smtp_security]
    where = f"mail via {alerts.smtp_host}:{port}"
    password = smtp_password(config) if alerts.smtp_user else None
    if alerts.smtp_user and not password:
        raise AlertError(f"{where}: no password for {alerts.smtp_user}: set the environment variable "
                         f"{alerts.password_env} (alerts.password_env) or alerts.password_file")
    try:
        if alerts.smtp_security == "ssl":
            client = smtplib.SMTP_SSL(alerts.smtp_host, port, timeout=alerts.timeout_seconds,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(alerts.smtp_host, port, timeout=alerts.timeout_seconds)
        with client:
            if alerts.smtp_security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if alerts.smtp_user:
                client.login(alerts.smtp_user, password)
            client.send_message(message)
    except smtplib.SMTPAuthenticationError as error:
        raise AlertError(f"{where}: login as {alerts.smtp_user} refused ({error.smtp_code})") from None
    except UnicodeEncodeError:  # smtplib sends AUTH in ASCII only
        raise AlertError(f"{where}: the user name or password is not ASCII, which SMTP login cannot carry") from None
    except (smtplib.SMTPException, OSError) as error:
        raise AlertError(f"{where}: {type(error).__name__}: {error}"[:300]) from None
    return f"mail sent to {len(alerts.mail_to)}"


def channels(config: SiteConfig) -> list:
    alerts = config.alerts
    out = []
    if alerts.webhook_url or alerts.webhook_url_env:
        out.append(send_webhook)
    if alerts.smtp_host:
        out.append(send_mail)
    return out


def deliver(config: SiteConfig, notice: dict) -> list[str]:
    """Send through every configured channel; each one's outcome, a failure logged, never raised."""
    outcomes = []
    for send in channels(config):
        channel = send.__name__.removeprefix("send_")
        try:
            outcomes.append(send(config, notice))
        except AlertError as error:
            log.error("%s: alert not sent: %s", config.site.name, error)
            outcomes.append(f"{channel} failed")
        except Exception as error:  # one channel's surprise must not keep the others from sending
            log.error("%s: alert not sent by %s: %s", config.site.name, channel, type(error).__name__)
            outcomes.append(f"{channel} failed")
    return outcomes


def notify(config: SiteConfig, db_path: str, run_id: int, *, report: str | None = None) -> str | None:
    """After a scheduled run: send a notice when it brought new critical findings or a veto turned on.

    What happened, for the scheduler's record: None when nothing was new or no channel is configured.
    """
    with Store(db_path) as store:
        found = changes(store, run_id)
    if not found["new_critical"] and not found["veto_on"] and found["health"][0] != "failed":
        log.info("%s: run %d: no new critical finding, no veto turned on: no alert", config.site.name, run_id)
        return None
    if not channels(config):
        log.info("%s: run %d: new critical findings or veto, but no [alerts] channel is configured",
                 config.site.name, run_id)
        return None
    notice = compose(config, found, report)
    outcomes = deliver(config, notice)
    log.info("%s: run %d: %d new critical, veto on: %s; %s", config.site.name, run_id, len(found["new_critical"]),
             ", ".join(c["indicator"] for c in found["veto_on"]) or "none", "; ".join(outcomes))
    return "; ".join(outcomes)


def trial_notice(config: SiteConfig) -> dict:
    """A notice that says only that the channel works (`govinspect schedule test-alert`)."""
    title = f"【网站自查】{config.site.name}：测试消息"
    text = f"{title}\n{config.site.base_url}\n如收到本消息，说明告警通道配置正确。\n—— govinspect 网站自查"
    return {"title": title, "text": text, "markdown": text.replace("\n", "  \n"),
            "json": {"schema": SCHEMA, "title": title, "text": text, "test": True,
                     "site": {"name": config.site.name, "base_url": config.site.base_url},
                     "new_critical": [], "veto": []}}
