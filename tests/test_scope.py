"""Scope: names that resolve into private networks are never contacted, redirects included."""

from __future__ import annotations

from pathlib import Path

from govinspect.store import Store

from conftest import AS_OF, Route, run_cli

HERE = Path(__file__).resolve().parent


def test_names_resolving_to_private_addresses_are_refused(site_server, tmp_path):
    base = site_server({
        "/": Route('<html><head><title>首页</title></head><body>'
                   '<a href="http://intranet-cms.example.gov.cn/preview.html">预览</a>'
                   '<a href="http://rebind.example.gov.cn/latest/meta-data">数据</a>'
                   '<a href="/jump">跳转</a></body></html>'),
        "/jump": Route("", 302, {"Location": "http://preview.example.gov.cn/x"}),
    })
    config = tmp_path / "site.toml"
    config.write_text(f'[site]\nname = "x"\nbase_url = "{base}"\n[crawl]\ndelay_seconds = 0\n', encoding="utf-8")
    result = run_cli("crawl", "-c", str(config), "--db", str(tmp_path / "g.db"), "--as-of", AS_OF.isoformat(),
                     env={"GOVINSPECT_RESOLVER": "resolvers.fake_dns", "PYTHONPATH": str(HERE)})
    assert result.returncode == 0, result.stderr
    with Store(tmp_path / "g.db") as store:
        verdicts = {row["url"]: row for row in store.db.query("select * from targets")}
    for url, kind in [("http://intranet-cms.example.gov.cn/preview.html", "private"),
                      ("http://rebind.example.gov.cn/latest/meta-data", "link-local"),
                      (f"{base}jump", "private")]:
        assert verdicts[url]["verdict"] == "skipped-private", verdicts[url]
        assert kind in verdicts[url]["reason"]
