"""Site facts and their checks: real TLS servers on 127.0.0.1 (a certificate from a test CA, an expired one, a
self-signed one, one about to expire), plain HTTP with and without a redirect, and a server on ::1."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import AS_OF, planted, run_cli, write_config
from crawlcheck import Crawl

from checks.builtin.security import site_problems
from crawler.sitefacts import observe_ipv6, observe_redirect, observe_tls

NOW = datetime.datetime.now(datetime.timezone.utc)
HOME = ('<html><head><meta charset="utf-8"><title>青山县审计局</title>'
        '<script src="http://cdn.example.gov.cn/jquery.js"></script></head><body><h1>青山县审计局</h1></body></html>')


def _key():
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _cert(key, subject: str, issuer_key=None, issuer: str | None = None, *, days=(-30, 365), ca=False):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    def name(common):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    builder = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer or subject))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW + datetime.timedelta(days=days[0]))
               .not_valid_after(NOW + datetime.timedelta(days=days[1]))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
    return builder.sign(issuer_key or key, hashes.SHA256())


def _pem(obj) -> bytes:
    from cryptography.hazmat.primitives import serialization

    if hasattr(obj, "public_bytes"):
        return obj.public_bytes(serialization.Encoding.PEM)
    return obj.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


class Handler(BaseHTTPRequestHandler):
    redirect_to = ""

    def do_GET(self):
        if self.redirect_to:
            self.send_response(301)
            self.send_header("Location", self.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = HOME.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Servers:
    def __init__(self):
        self.all = []

    def start(self, *, cert=None, redirect_to="", host="127.0.0.1", port=0, family=socket.AF_INET) -> int:
        server_class = type("Server", (ThreadingHTTPServer,), {"address_family": family})
        server = server_class((host, port), type("H", (Handler,), {"redirect_to": redirect_to}))
        server.daemon_threads = True
        if cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*cert)
            server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.all.append(server)
        return server.server_address[1]

    def stop(self):
        for server in self.all:
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A test CA (trusted through SSL_CERT_FILE) and server certificates for 127.0.0.1: good, expired, expiring,
    self-signed; each as (certificate file, key file)."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key = _key()
    ca = _cert(ca_key, "govinspect test CA", ca=True, days=(-60, 3650))
    (folder / "ca.pem").write_bytes(_pem(ca))
    made = {"ca": str(folder / "ca.pem")}
    for label, issuer_key, days in (("good", ca_key, (-30, 365)), ("expired", ca_key, (-400, -35)),
                                    ("expiring", ca_key, (-300, 10)), ("self", None, (-30, 365))):
        key = _key()
        cert = _cert(key, "127.0.0.1", issuer_key, None if issuer_key is None else "govinspect test CA", days=days)
        (folder / f"{label}.pem").write_bytes(_pem(cert))
        (folder / f"{label}.key").write_bytes(_pem(key))
        made[label] = (str(folder / f"{label}.pem"), str(folder / f"{label}.key"))
    return made


@pytest.fixture
def servers():
    started = Servers()
    yield started
    started.stop()


@pytest.fixture
def trust(pki, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", pki["ca"])


def test_valid_certificate_and_redirect(pki, servers, trust):
    port = servers.start(cert=pki["good"])
    http_port = servers.start(redirect_to=f"https://127.0.0.1:{port}/")
    tls = observe_tls(f"https://127.0.0.1:{port}/", 5)
    assert (tls["served"], tls["valid"], tls["http_status"], tls["self_signed"]) == (True, True, 200, False)
    redirect = observe_redirect(f"http://127.0.0.1:{http_port}/", 5)
    assert redirect["to_https"] and redirect["http_status"] == 301
    assert site_problems(tls, redirect, NOW.date(), 30) == []


@pytest.mark.parametrize("label, words", [
    ("expired", "证书已过期（有效期至"),
    ("self", "证书为自签名证书，不受信任"),
    ("expiring", "证书将于"),
])
def test_bad_certificates(pki, servers, trust, label, words):
    port = servers.start(cert=pki[label])
    tls = observe_tls(f"https://127.0.0.1:{port}/", 5)
    assert tls["served"] and tls["valid"] == (label == "expiring") and tls["not_after"]
    [problem] = site_problems(tls, None, NOW.date(), 30)
    assert problem.startswith(words), problem


def test_no_https_and_no_redirect(servers):
    http_port = servers.start()
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        closed = spare.getsockname()[1]
    tls = observe_tls(f"https://127.0.0.1:{closed}/", 5)
    assert not tls["served"] and "Connection refused" in tls["error"]
    redirect = observe_redirect(f"http://127.0.0.1:{http_port}/", 5)
    assert (redirect["http_status"], redirect["to_https"]) == (200, False)
    assert site_problems(tls, redirect, NOW.date(), 30)[0].startswith("网站未提供 HTTPS 访问")


def _ipv6_server(servers) -> int:
    port = servers.start()
    try:
        servers.start(host="::1", port=port, family=socket.AF_INET6)
    except OSError as error:
        pytest.skip(f"no IPv6 loopback here: {error}")
    return port


def test_ipv6_answer_at_the_aaaa_address(servers):
    from resolvers import dual_stack, ipv4_only

    port = _ipv6_server(servers)
    fact = observe_ipv6(f"http://localhost:{port}/", 5, offline=True, resolve=dual_stack)
    assert (fact["addresses"], fact["answered"], fact["http_status"]) == (["::1"], True, 200)
    assert observe_ipv6(f"http://localhost:{port}/", 5, offline=True, resolve=ipv4_only)["addresses"] == []
    v4_only = servers.start()
    fact = observe_ipv6(f"http://localhost:{v4_only}/", 5, offline=True, resolve=dual_stack)
    assert not fact["answered"] and "refused" in fact["error"]


def test_offline_never_looks_a_real_name_up():
    fact = observe_ipv6("http://sjj.example.gov.cn/", 5, offline=True)
    assert (fact["looked_up"], fact["addresses"]) == (False, []) and fact["error"].startswith("offline mode")


def _crawl_and_check(tmp_path, base: str, extra_site: str = "", env: dict | None = None) -> list[dict]:
    config = write_config(tmp_path / "site.toml", base)
    if extra_site:
        config.write_text(config.read_text(encoding="utf-8").replace("\n\n[crawl]", f"\n{extra_site}\n\n[crawl]"),
                          encoding="utf-8")
    db = tmp_path / "govinspect.db"
    result = run_cli("crawl", "-c", str(config), "--db", str(db), "--as-of", AS_OF.isoformat(), env=env)
    assert result.returncode == 0, result.stderr
    crawl = Crawl(tmp_path, config, db, int(result.stdout.strip().splitlines()[-1]))
    return [f for f in crawl.check(NOW.date().isoformat()) if f["check"] in ("security.https", "ipv6.unsupported")]


def test_expired_site_end_to_end(pki, servers, tmp_path):
    port = servers.start(cert=pki["expired"])
    http_port = servers.start()
    found = _crawl_and_check(tmp_path, f"https://127.0.0.1:{port}/", f'http_url = "http://127.0.0.1:{http_port}/"',
                             env={"SSL_CERT_FILE": pki["ca"]})
    by = {(f["check"], f["url"]): f for f in found}
    home = f"https://127.0.0.1:{port}/"
    message = by[("security.https", home)]["message"]
    assert message.startswith("证书已过期（有效期至") and "未跳转到 HTTPS" in message
    assert message.endswith("HTTPS 页面通过 HTTP 加载脚本（http://cdn.example.gov.cn/jquery.js），浏览器会拦截或提示不安全")
    assert by[("ipv6.unsupported", home)]["message"] == "网站地址 127.0.0.1 为 IPv4 地址，无法通过 IPv6 访问"


def test_ipv6_end_to_end(servers, tmp_path):
    port = _ipv6_server(servers)
    env = {"GOVINSPECT_RESOLVER": "resolvers.dual_stack", "PYTHONPATH": str(Path(__file__).resolve().parent)}
    assert [f for f in _crawl_and_check(tmp_path, f"http://localhost:{port}/", env=env)
            if f["check"] == "ipv6.unsupported"] == []


@pytest.mark.parametrize("line, problem", [
    ('http_url = "https://127.0.0.1/"', "site.http_url: must be an http:// URL"),
    ('https_url = "ftp://127.0.0.1/"', "site.https_url: not an http(s) URL: 'ftp://127.0.0.1/'"),
])
def test_bad_probe_urls_are_one_line_errors(tmp_path, line, problem):
    config = tmp_path / "site.toml"
    config.write_text(f'[site]\nname = "x"\nbase_url = "http://127.0.0.1:9/"\n{line}\n', encoding="utf-8")
    result = run_cli("checks", "-c", str(config))
    assert result.returncode == 2 and result.stderr.strip().endswith(problem) and "Traceback" not in result.stderr


@pytest.mark.parametrize("check", ["security.https", "ipv6.unsupported"])
def test_sample_site_plain_http_on_ipv4_is_found(sample_checked, check):
    card = planted(sample_checked, check)
    assert card["defects"] == 1 and card["missed"] == [] and card["fired"] == []
