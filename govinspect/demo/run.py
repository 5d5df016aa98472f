"""`govinspect demo`: serve the sample bureau site on loopback, audit it, write everything, compare with its truth."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from crawler.runner import run_crawl
from govinspect.config import config_from_dict
from govinspect.demo.server import SampleServer
from govinspect.store import Store
from govinspect.summary import print_summary, write_reports
from reports.screenshots import take_screenshots

SITE_NAME = "青山县审计局"


def demo_config(base_url: str) -> dict:
    """The sample site's configuration: no columns, so discovery is exercised; offline, so no host but loopback."""
    return {
        "site": {"name": SITE_NAME, "base_url": base_url},
        "crawl": {"delay_seconds": 0, "concurrency_per_host": 8, "timeout_seconds": 15, "offline": True,
                  "accessibility_pages": 3},  # axe-core in Chromium on the homepage and the 2 newest articles
        # text.sensitive looks only for the site's own list; the sample site's is its manifest's sensitive_words.
        "checks": {"options": {"text.sensitive": {"words": ["内部资料"]}}},
        "report": {"screenshots": True, "screenshot_pages": 20},  # the most severe pages: the demo stays quick
    }


def compare_with_site(store: Store, run_id: int, site) -> dict:
    """How much of what the generator made the crawl found: columns and items, by URL."""
    found_columns = {c["url"]: c for c in store.columns(run_id)}
    missing_columns = [c.url for c in site.columns if c.url not in found_columns]
    expected_items = {(c.url, item.url) for c in site.columns for item in c.items}
    found_items = {(row["column_url"], row["url"]) for row in store.db.query(
        "select columns.url as column_url, column_items.url from column_items "
        "join columns on columns.id = column_items.column_id where column_items.run_id = ?", [run_id])}
    return {
        "columns_expected": len(site.columns), "columns_found": len(site.columns) - len(missing_columns),
        "items_expected": len(expected_items), "items_found": len(expected_items & found_items),
        "missing_columns": missing_columns, "missing_items": sorted(expected_items - found_items)[:20],
    }


def run_demo(out_dir: Path, *, as_of: str, keep_serving: bool = False) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path = out_dir / "govinspect.db"
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)  # the demo's site lives on a new port each time: start clean
    with SampleServer(date.fromisoformat(as_of)) as server:
        click.echo(f"sample site: {server.base_url}", err=True)
        config = config_from_dict(demo_config(server.base_url), "<demo>")
        run_id = run_crawl(config, str(db_path), mode="full", as_of=as_of)
        (out_dir / "sample-site.json").write_text(
            json.dumps(server.site.manifest(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        from checks.registry import load_registry
        from checks.runner import run_checks
        from govinspect.demo.scorecard import score, score_line

        registry = load_registry()
        with Store(db_path) as store:
            result = run_checks(store, run_id, config, registry=registry)
            take_screenshots(store, run_id, config)  # while the sample site still serves
            written = write_reports(store, run_id, out_dir)
            print_summary(store, run_id, result)
            comparison = compare_with_site(store, run_id, server.site)
            # A check that crashed found nothing: its planted defects count as missed, never drop out of the score.
            comparison["planted"] = score(store, run_id, server.site, registry.ids())
            comparison["health"] = store.health(run_id)[0]
        click.echo(f"  sample site truth: {comparison['columns_found']}/{comparison['columns_expected']} columns, "
                   f"{comparison['items_found']}/{comparison['items_expected']} items found")
        click.echo(score_line(comparison["planted"]))
        names = ", ".join(["govinspect.db", *(path.name for path in written), "sample-site.json"])
        click.echo(f"  written to {out_dir}/ ({names})")
        if keep_serving:
            click.echo(f"serving the sample site at {server.base_url} (Ctrl-C to stop)", err=True)
            click.echo(f"{server.serve_forever()}: sample site stopped", err=True)
    return comparison
