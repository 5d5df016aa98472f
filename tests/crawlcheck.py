"""Crawl a loopback site with the real CLI (`govinspect crawl`), then judge it with `govinspect check`: the
findings the run saw, from `govinspect report --format json`. Shared by the interpretation, annual report
and interaction check tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from conftest import AS_OF, run_cli


def html(title: str, body: str, metas: str = "") -> str:
    return (f'<html><head><meta charset="utf-8"><title>{title}</title>{metas}</head>'
            f'<body><div class="main">{body}</div></body></html>')


def listing(name: str, items: list[tuple[str, str, str | None]]) -> str:
    """A home-made column list of (url, title, date) items."""
    lis = "".join(f'<li><a href="{url}" title="{title}">{title}</a><span>{day or ""}</span></li>'
                  for url, title, day in items)
    return html(name, f'<h2>{name}</h2><ul class="list">{lis}</ul>')


def columns_toml(base: str, columns: list[tuple[str, str, str]]) -> str:
    """[[columns]] entries for (list path, name, category)."""
    return "".join(f'\n[[columns]]\nname = "{name}"\nurl = "{base}{path.lstrip("/")}"\ncategory = "{category}"\n'
                   for path, name, category in columns)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    if parts.hostname != "127.0.0.1":
        return url
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Crawl:
    folder: Path
    config: Path
    db: Path
    run_id: int

    def check(self, as_of: str | None = None) -> list[dict]:
        """`govinspect check` as of `as_of` (default AS_OF), then the findings it saw (not the ones it closed)."""
        result = run_cli("check", "-c", str(self.config), "--db", str(self.db), "--run", str(self.run_id),
                         "--as-of", as_of or AS_OF.isoformat())
        assert result.returncode == 0, result.stderr
        out = self.folder / "report.json"
        result = run_cli("report", "--db", str(self.db), "--run", str(self.run_id), "--format", "json",
                         "--out", str(out))
        assert result.returncode == 0, result.stderr
        report = json.loads(out.read_text(encoding="utf-8"))
        return [f for f in report["findings"] if f["status"] != "fixed"]


def crawl(folder: Path, base: str, extra: str = "", *, level: str | None = None) -> Crawl:
    """`govinspect crawl` of a loopback site with the fast test settings (`extra`: more TOML after [crawl])."""
    config = folder / "site.toml"
    site_level = f'level = "{level}"\n' if level else ""
    config.write_text(f'[site]\nname = "青山县审计局"\nbase_url = "{base}"\n{site_level}\n'
                      f"[crawl]\ndelay_seconds = 0\nconcurrency_per_host = 8\noffline = true\n{extra}",
                      encoding="utf-8")
    db = folder / "govinspect.db"
    result = run_cli("crawl", "-c", str(config), "--db", str(db), "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    return Crawl(folder, config, db, int(result.stdout.strip().splitlines()[-1]))


def fired(findings: list[dict], prefix: str = "") -> set[tuple[str, str]]:
    """(check id, subject path) of the findings of checks whose id starts with `prefix`."""
    return {(f["check"], path_of(f["url"])) for f in findings if f["check"].startswith(prefix)}
