"""Downloader middlewares of a polite inspector: slow retries, Retry-After, a per-host circuit breaker, no intranet."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.misc import load_object

from crawler.extract.encoding import best_encoding
from govinspect.config import private_kind
from govinspect.health import OFFLINE_REASON

log = logging.getLogger("govinspect.crawl")


class HostPaused(IgnoreRequest):
    """The host refused too much of what we asked; the rest is left unverified rather than called broken."""


class PrivateTarget(IgnoreRequest):
    """A request (or a redirect) towards a private or intranet address that this site may not contact."""


class OfflineTarget(IgnoreRequest):
    """In offline mode (the demo, the tests) nothing but the site itself and loopback hosts is contacted."""


class NoOutsideNetwork(IgnoreRequest):
    """This machine cannot resolve or reach outside hosts (an intranet server): off-site links stay unverified."""


# Hosts that any machine with outside access resolves and reaches; none answering means the checker is cut off.
NETWORK_CHECK_HOSTS = ("www.gov.cn", "www.baidu.com", "www.qq.com")


class PatientRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, once, after a pause: a 5xx or a timeout often passes; 429 waits as long as Retry-After says."""

    def __init__(self, settings):
        super().__init__(settings)
        self.delay = settings.getfloat("GOVINSPECT_RETRY_DELAY", 2.0)
        self.max_wait = settings.getfloat("GOVINSPECT_MAX_RETRY_AFTER", 30.0)

    def process_response(self, request, response):
        if response.status == 429 and not request.meta.get("dont_retry"):
            retry = self._retry(request, "429 Too Many Requests")
            if retry is None:
                return response
            retry.meta["wait_before"] = self._retry_after(response)
            return retry
        result = super().process_response(request, response)
        if result is not response:
            result.meta["wait_before"] = (self._retry_after(response) if response.headers.get(b"Retry-After")
                                          else self.delay)
        return result

    def process_exception(self, request, exception):
        result = super().process_exception(request, exception)
        if result is not None:
            result.meta["wait_before"] = self.delay
        return result

    def _retry_after(self, response) -> float:
        """Retry-After in seconds (capped); a date form or none means the ordinary pause."""
        value = (response.headers.get(b"Retry-After") or b"").decode("latin-1").strip()
        seconds = float(value) if value.replace(".", "", 1).isdigit() else self.delay
        return min(max(seconds, 0.0), self.max_wait)

    async def process_request(self, request):
        wait = request.meta.pop("wait_before", 0)
        if wait:
            await asyncio.sleep(wait)
        return None


PAUSED_HOSTS = "govinspect/paused_hosts"  # the crawl stat that run health reads


class HostGuardMiddleware:
    """Watches each host's last answers; a spike of refusals first slows the host down, then pauses it.

    A bureau's firewall that starts answering 403/429/5xx is telling us to stop: hammering on would only
    turn every later link into a false "broken".
    """

    BAD = {403, 412, 429, 500, 502, 503, 504, 521}

    def __init__(self, crawler, window: int, slow_ratio: float, pause_ratio: float, backoff: float = 2.0):
        self.crawler = crawler
        self.backoff = backoff
        self.window, self.slow_ratio, self.pause_ratio = window, slow_ratio, pause_ratio
        self.answers: dict[str, deque] = {}
        self.state: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(crawler, settings.getint("GOVINSPECT_GUARD_WINDOW", 50),
                   settings.getfloat("GOVINSPECT_GUARD_SLOW", 0.2), settings.getfloat("GOVINSPECT_GUARD_PAUSE", 0.5),
                   settings.getfloat("GOVINSPECT_BACKOFF", 2.0))

    def process_request(self, request):
        host = urlsplit(request.url).hostname or ""
        if self.state.get(host) == "paused":
            raise HostPaused(f"{host} 多次拒绝访问（403/429/5xx），已暂停对它的请求，未核验")
        return None

    def process_response(self, request, response):
        self._note(request, response.status in self.BAD)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, IgnoreRequest):
            self._note(request, True)
        return None

    def _note(self, request, bad: bool) -> None:
        host = urlsplit(request.url).hostname or ""
        answers = self.answers.setdefault(host, deque(maxlen=self.window))
        answers.append(bad)
        if len(answers) < self.window:
            return  # a few faults among the first answers are a broken site, not a firewall
        ratio = sum(answers) / len(answers)
        state = self.state.get(host, "normal")
        if ratio > self.pause_ratio and state != "paused":
            self.state[host] = "paused"
            self.crawler.stats.set_value(PAUSED_HOSTS, sorted(h for h, st in self.state.items() if st == "paused"))
            log.warning("%s: %.0f%% of the last %d answers were refusals: pausing this host", host, ratio * 100,
                        len(answers))
        elif ratio > self.slow_ratio and state == "normal":
            self.state[host] = "slow"
            self._slow_down(request)
            log.warning("%s: %.0f%% refusals: slowing down", host, ratio * 100)

    def _slow_down(self, request) -> None:
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay * 4, self.backoff)


class ScopeMiddleware:
    """Refuses requests (redirects included) to private or intranet hosts unless allowed, and, offline, to the world.

    A public-looking name that resolves to a private address (an intranet CMS behind a real domain, or a
    rebinding trick) is refused too: the name is resolved first, once per host.
    """

    def __init__(self, site_host: str, allow_private: bool, offline: bool, resolve=None,
                 check_hosts: tuple[str, ...] = NETWORK_CHECK_HOSTS):
        self.site_host = site_host
        self.site_kind = private_kind(site_host)
        self.allow_private = allow_private
        self.offline = offline
        self.resolve = resolve or _resolve
        self.resolved: dict[str, str | None] = {}
        self.check_hosts = check_hosts
        self.outside: asyncio.Future | None = None  # found out once per run, on the first off-site request

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        resolver = settings.get("GOVINSPECT_RESOLVER")
        return cls(settings.get("GOVINSPECT_SITE_HOST", ""), settings.getbool("GOVINSPECT_ALLOW_PRIVATE"),
                   settings.getbool("GOVINSPECT_OFFLINE"), load_object(resolver) if resolver else None)

    async def process_request(self, request):
        host = urlsplit(request.url).hostname or ""
        kind = private_kind(host)
        if kind is not None and not self.allow_private and kind != self.site_kind:
            raise PrivateTarget(f"内网或本机地址（{kind}：{host}），只记录，不访问")
        if self.offline and kind != "loopback" and host != self.site_host:
            raise OfflineTarget("离线模式：站外链接只记录，未核验")
        if kind is None and not self.allow_private and host != self.site_host:
            if host not in self.resolved:
                self.resolved[host] = await self._address_kind(host)
            kind = self.resolved[host]
        if kind is not None and not self.allow_private and kind != self.site_kind:
            raise PrivateTarget(f"内网或本机地址（{kind}：{host}），只记录，不访问")
        if kind is None and host != self.site_host:
            if self.outside is None:
                self.outside = asyncio.ensure_future(self._outside_reachable())
            if not await self.outside:
                raise NoOutsideNetwork(OFFLINE_REASON)
        return None

    async def _outside_reachable(self) -> bool:
        """Whether this machine resolves and reaches any well-known outside host (DNS, then a TCP connection)."""
        for host in self.check_hosts:
            try:
                addresses = await self.resolve(host)
            except OSError:
                continue
            for address in addresses[:2]:
                try:
                    _, writer = await asyncio.wait_for(asyncio.open_connection(address, 443), timeout=5)
                except (OSError, asyncio.TimeoutError):
                    continue
                writer.close()
                return True
        log.warning("this machine cannot resolve or reach outside hosts (%s): off-site links are not verified",
                    ", ".join(self.check_hosts))
        return False

    async def _address_kind(self, host: str) -> str | None:
        try:
            addresses = await self.resolve(host)
        except OSError:
            return None  # unresolvable: the download itself reports the DNS failure
        kinds = [private_kind(address) for address in addresses]
        return next((k for k in kinds if k is not None), None)


async def _resolve(host: str) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    return [info[4][0] for info in infos]


class EncodingMiddleware:
    """Reads a page in the encoding its bytes are in when its declaration lies (UTF-8 sent as GBK and back)."""

    def process_response(self, request, response):
        if isinstance(response, TextResponse):
            encoding = best_encoding(response.body, response.encoding)
            if encoding:
                return response.replace(encoding=encoding)
        return response
