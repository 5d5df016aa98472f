"""Link verdicts: what an answer (or its absence) says about a link target: ok, broken, soft-404, blocked…"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                               DownloadFailedError, DownloadTimeoutError, ResponseDataLossError)
from scrapy.http import TextResponse
from twisted.internet.error import (ConnectError, ConnectionLost, ConnectionRefusedError, DNSLookupError,
                                    TCPTimedOutError, TimeoutError)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.middlewares import HostPaused, NoOutsideNetwork, OfflineTarget, PrivateTarget

# The narrow phrase rule: only these words, and only in a title or a short page, make a 200 an error page.
NOT_FOUND_PHRASES = ("页面不存在", "您访问的页面不存在", "页面未找到", "找不到页面", "404 not found", "page not found")
SHORT_PAGE = 600
SOFT_404 = "页面返回 200，但内容显示页面不存在"
CHALLENGE_MARKERS = ("$_ts", "__jsl_clearance", "_jsl_clearance", "jsl_clearance_s", "acw_sc__v2",
                     "document.cookie=", "请开启JavaScript", "安全验证")


def probe_url(base_url: str) -> str:
    """A path no site has, to learn what the site answers for a page that does not exist."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}/govinspect-probe-{secrets.token_hex(6)}.html"


def classify(response, title: str | None = None, text: str | None = None) -> tuple[str, str | None]:
    """The verdict for an answer: (ok | redirected | broken | soft-404 | blocked, reason).

    `title` and `text` are the page's own when the article reader already has them; otherwise they are
    read here, once, and only for pages small enough to be an error page.
    """
    status = response.status
    body = response.text if isinstance(response, TextResponse) else ""
    if status in (412, 202, 521) and any(marker in body for marker in CHALLENGE_MARKERS):
        return "blocked", f"HTTP {status}：网站防火墙的人机验证页（请将检查机器加入白名单）"
    if status in (403, 412, 429, 521):
        return "blocked", f"HTTP {status}：被网站防火墙或访问频率限制拒绝，未核验"
    if status >= 400:
        return "broken", f"HTTP {status}"
    if body and len(body) < 20000 and any(marker in body for marker in CHALLENGE_MARKERS[:4]):
        return "blocked", "返回的是 JavaScript 验证页而非页面内容，未核验"
    if body:
        if title is None:
            title = _title(response)
        if any(p in title.lower() for p in NOT_FOUND_PHRASES):
            return "soft-404", SOFT_404
        if text is None and len(body) < 50000:
            text = _text(response)
        if text is not None and len(text) < SHORT_PAGE and any(p in text.lower() for p in NOT_FOUND_PHRASES):
            return "soft-404", SOFT_404
    if response.meta.get("redirect_urls"):
        return "redirected", None
    return "ok", None


def failure_verdict(failure: Failure, timeout: float) -> tuple[str, str]:
    """The verdict and a one-line reason a web administrator understands, for a request that got no answer."""
    error = failure.value
    if failure.check(PrivateTarget):
        return "skipped-private", str(error)
    if failure.check(OfflineTarget):
        return "skipped", str(error)
    if failure.check(NoOutsideNetwork):
        return "unverified", str(error)
    if failure.check(HostPaused):
        return "blocked", str(error)
    # Scrapy 2.14+ wraps Twisted's errors in its own Download*Error classes; older ones raise Twisted's.
    if failure.check(DNSLookupError, CannotResolveHostError):
        return "broken", "域名无法解析（DNS 查询失败）"
    if failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
        return "broken", f"超时：{timeout:g} 秒内无响应（已重试一次）"
    if failure.check(ConnectionRefusedError, DownloadConnectionRefusedError):
        return "broken", "连接被拒绝"
    if failure.check(DownloadCancelledError):
        return "skipped", f"超过下载大小上限，未读取（{error}）"[:300]
    if failure.check(ResponseNeverReceived, ConnectionLost, ResponseFailed, ResponseDataLossError,
                     DownloadFailedError):
        return "broken", "连接在响应完成前被关闭"
    if failure.check(ConnectError):
        return "broken", f"无法连接（{error}）"
    text = str(error) or type(error).__name__
    lowered = text.lower()
    if "maxsize" in lowered or "max size" in lowered or "cancel" in lowered:
        return "skipped", f"超过下载大小上限，未读取（{text}）"[:300]
    if "ssl" in lowered or "tls" in lowered or "certificate" in lowered:
        return "broken", f"HTTPS 证书或加密连接错误（{text}）"[:300]
    if "redirect" in lowered:
        return "broken", f"重定向循环或重定向次数过多（{text}）"[:300]
    return "broken", f"{type(error).__name__}: {text}"[:300]


def mark_soft404(db, run_id: int, signatures: dict[str, dict]) -> int:
    """Targets whose page is the site's own not-found template (learnt by probing) become soft-404."""
    marked = 0
    for host, signature in signatures.items():
        chars, title = signature["chars"], signature["title"]
        if not title and chars < 50:
            continue  # an empty template would match every untitled page
        rows = db.execute(
            "select url from pages where run_id = ? and http_status = 200 and coalesce(title, '') = ? "
            "and abs(coalesce(text_chars, 0) - ?) <= ? and kind in ('page', 'article')",
            [run_id, title, chars, max(40, chars // 10)]).fetchall()
        for (url,) in rows:
            if (urlsplit(url).hostname or "") != host:
                continue
            db.execute("update targets set verdict = 'soft-404', reason = ? where run_id = ? and url = ?",
                       ["页面是网站自己的“页面不存在”模板（通过访问一个不存在的地址识别）",
                        run_id, url])
            marked += 1
    return marked


def _markup(response, path: str) -> str:
    # A JSON answer (a list API) has no title or body to read; parsel refuses XPath on it.
    return "" if response.selector.type == "json" else response.selector.xpath(path).get() or ""


def _title(response) -> str:
    return re.sub(r"\s+", " ", _markup(response, "string(//title)")).strip()


def _text(response) -> str:
    return re.sub(r"\s+", "", _markup(response, "string(//body)"))
