"""Facts about the site as a whole, observed once per run after the crawl: its TLS certificate, whether plain HTTP
redirects to HTTPS, and whether its name has an IPv6 address that answers. Observed, never judged: checks judge.

Each fact is a JSON object stored in `site_facts` under its name (`https`, `http_redirect`, `ipv6`, and `search`
from crawler/sitesearch.py).
"""

from __future__ import annotations

import asyncio
import http.client
import ipaddress
import json
import os
import socket
import ssl
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from crawler.sitesearch import observe_search
from govinspect.config import SiteConfig, private_kind

REDIRECTS = (301, 302, 303, 307, 308)


def observe(config: SiteConfig, recent: tuple[str, str] | None = None, resolve=None) -> dict[str, dict]:
    """Every site fact; `recent` is (title, url) of a recent article to search for; `resolve` (host -> addresses,
    async) replaces the system resolver (GOVINSPECT_RESOLVER)."""
    timeout = config.crawl.timeout_seconds
    base = urlsplit(config.site.base_url)
    https_url = config.site.https_url or (config.site.base_url if base.scheme == "https"
                                          else f"https://{_netloc(base.hostname)}/")
    http_url = config.site.http_url or (config.site.base_url if base.scheme == "http"
                                        else f"http://{_netloc(base.hostname)}/")
    return {
        "https": observe_tls(https_url, timeout),
        "http_redirect": observe_redirect(http_url, timeout),
        "ipv6": observe_ipv6(config.site.base_url, timeout, offline=config.crawl.offline,
                             resolve=resolve or _configured_resolver()),
        "search": observe_search(config, recent),
    }


def _netloc(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _configured_resolver():
    name = os.environ.get("GOVINSPECT_RESOLVER")
    if not name:
        return None
    from scrapy.utils.misc import load_object

    return load_object(name)


def _error(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return exc.verify_message or str(exc)
    message = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {message}"[:200]


def _get(url: str, timeout: float, context: ssl.SSLContext | None = None, address: str | None = None):
    """GET one URL without following redirects (optionally at a given IP address): (status, location, cert DER)."""
    parts = urlsplit(url)
    host = address or parts.hostname
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(host, parts.port or 443, timeout=timeout, context=context)
    else:
        conn = http.client.HTTPConnection(host, parts.port or 80, timeout=timeout)
    try:
        conn.putrequest("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), skip_host=True)
        conn.putheader("Host", parts.netloc)
        conn.putheader("User-Agent", "govinspect (+site self-inspection)")
        conn.endheaders()
        cert = conn.sock.getpeercert(binary_form=True) if parts.scheme == "https" else None
        response = conn.getresponse()
        response.read(65536)
        return response.status, response.getheader("Location"), cert
    finally:
        conn.close()


def _certificate(der: bytes | None) -> dict:
    if not der:
        return {}
    from cryptography import x509

    cert = x509.load_der_x509_certificate(der)
    not_after = cert.not_valid_after_utc
    return {"subject": cert.subject.rfc4514_string(), "issuer": cert.issuer.rfc4514_string(),
            "not_after": not_after.isoformat(), "self_signed": cert.subject == cert.issuer}


def observe_tls(url: str, timeout: float) -> dict:
    """Whether `url` answers over TLS, whether its certificate verifies (system trust store), and the certificate."""
    fact = {"url": url, "served": False, "valid": False, "verify_error": None, "error": None, "http_status": None}
    try:
        fact["http_status"], _, der = _get(url, timeout, ssl.create_default_context())
        fact.update(served=True, valid=True)
    except ssl.SSLCertVerificationError as exc:
        fact["verify_error"] = _error(exc)
        insecure = ssl.create_default_context()
        insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE  # only to read what it presents
        try:
            fact["http_status"], _, der = _get(url, timeout, insecure)
            fact["served"] = True
        except (OSError, http.client.HTTPException) as again:
            fact["error"], der = _error(again), None
    except (OSError, http.client.HTTPException) as exc:
        fact["error"], der = _error(exc), None
    fact.update(_certificate(der))
    return fact


def observe_redirect(url: str, timeout: float) -> dict:
    """What plain HTTP answers: a redirect to HTTPS is what the indicator wants."""
    fact = {"url": url, "http_status": None, "location": None, "to_https": False, "error": None}
    try:
        status, location, _ = _get(url, timeout)
    except (OSError, http.client.HTTPException) as exc:
        fact["error"] = _error(exc)
        return fact
    target = urljoin(url, location) if location else None
    fact.update(http_status=status, location=target,
                to_https=status in REDIRECTS and bool(target) and target.startswith("https://"))
    return fact


def observe_ipv6(base_url: str, timeout: float, *, offline: bool, resolve=None) -> dict:
    """The host's IPv6 addresses (its AAAA records), and whether the homepage answers at the first of them."""
    host = urlsplit(base_url).hostname or ""
    fact = {"host": host, "looked_up": True, "addresses": [], "answered": False, "http_status": None, "error": None}
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        fact["looked_up"] = False  # an address in the URL: no name to look up
        fact["addresses"] = [host] if literal.version == 6 else []
    elif offline and resolve is None and private_kind(host) != "loopback":
        fact.update(looked_up=False, error="offline mode: the site's name is not looked up")
        return fact
    else:
        try:
            found = asyncio.run(resolve(host)) if resolve else _system_addresses(host)
        except OSError as exc:
            fact["error"] = _error(exc)
            return fact
        fact["addresses"] = sorted({a for a in found if ":" in a})
    if fact["addresses"]:
        insecure = ssl.create_default_context()
        insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE  # the answer counts, not the cert
        try:
            fact["http_status"], _, _ = _get(base_url, timeout, insecure, address=fact["addresses"][0])
            fact["answered"] = True
        except (OSError, http.client.HTTPException) as exc:
            fact["error"] = _error(exc)
    return fact


def _system_addresses(host: str) -> list[str]:
    return [info[4][0] for info in socket.getaddrinfo(host, None, socket.AF_INET6, socket.SOCK_STREAM)]


def recent_article(store, run_id: int) -> tuple[str, str] | None:
    """(title, url) of the newest article the run read: what a working search must find."""
    row = next(store.db.query(
        "select title, url from pages where run_id = ? and kind = 'article' and coalesce(title, '') != '' "
        "and http_status < 400 order by coalesce(published, '') desc, id desc limit 1", [run_id]), None)
    return (row["title"], row["url"]) if row else None


def store_facts(store, run_id: int, facts: dict[str, dict]) -> None:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with store.db.atomic():
        store.db.conn.executemany(
            "insert or replace into site_facts (run_id, name, value, observed_at) values (?, ?, ?, ?)",
            [(run_id, name, json.dumps(value, ensure_ascii=False), now) for name, value in facts.items()])
