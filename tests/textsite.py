"""Helpers of the text, privacy and timeliness check tests: articles served from loopback, crawled by the real
CLI (`govinspect crawl`, then `govinspect check`), findings read from the database; the correct-text corpus."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import AS_OF, REALPAGES, SEEDS, run_cli, write_config

HERE = Path(__file__).resolve().parent
CORRECT = HERE / "data" / "correct_zh.txt"
# The one 已示公开 sentence of the Luoyuan plan is the seed's planted typo; every other passage is correct.
LUOYUAN = "luoyuan-audit-2017-disclosure-plan.txt"
YUEQING = "yueqing-audit-2021-annual-report.md"


def article(title: str, paragraphs: list[str] | str, pubdate: str | None = None, extra: str = "") -> str:
    """An article page the crawler's reader understands: title, PubDate meta, main text in <p>s."""
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    meta = f'<meta name="PubDate" content="{pubdate} 09:00">' if pubdate else ""
    shown = f"<p>发布日期：{pubdate}</p>" if pubdate else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<html><head><meta charset="utf-8"><title>{title}</title>{meta}</head><body>'
            f'<div class="nav"><a href="/">首页</a> <a href="/news/list.html">工作动态</a></div>'
            f'<div class="main"><h1>{title}</h1>{shown}<div class="content">{body}{extra}</div></div>'
            f'<div class="footer">主办单位：青山县审计局　联系电话：0579-88880000</div></body></html>')


def listing(items: list[tuple[str, str, str]]) -> str:
    """The column list of (path, title, date) that makes the pages articles."""
    lis = "".join(f'<li><a href="{path}">{title}</a><span>{day}</span></li>' for path, title, day in items)
    return (f'<html><head><meta charset="utf-8"><title>工作动态</title></head><body><h2>工作动态</h2>'
            f'<ul class="list">{lis}</ul></body></html>')


def crawl_and_check(folder: Path, base: str, extra: str = "", *, column: str = "news/list.html") -> Path:
    """`govinspect crawl` then `govinspect check` of a loopback site as of AS_OF; the database."""
    config = write_config(folder / "site.toml", base,
                          f'\n[[columns]]\nname = "工作动态"\nurl = "{base}{column}"\ncategory = "dynamic"\n{extra}')
    db = folder / "govinspect.db"
    crawled = run_cli("crawl", "-c", str(config), "--db", str(db), "--as-of", AS_OF.isoformat())
    assert crawled.returncode == 0, crawled.stderr
    checked = run_cli("check", "-c", str(config), "--db", str(db), "--as-of", AS_OF.isoformat())
    assert checked.returncode == 0, checked.stderr
    return db


def findings(db: Path) -> list[dict]:
    from govinspect.store import Store

    with Store(db) as store:
        return store.findings()


def where(url: str) -> str:
    """Path and query of a loopback URL."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fired(rows: list[dict]) -> set[tuple[str, str]]:
    return {(row["check_id"], where(row["subject"])) for row in rows}


def copy_db(source: Path, target: Path) -> Path:
    with closing(sqlite3.connect(source)) as a, closing(sqlite3.connect(target)) as b:
        a.backup(b)
    return target


# correct text ------------------------------------------------------------------------------------------------


def own_correct_text() -> list[str]:
    return [line for line in CORRECT.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def seed(name: str) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed {name} not available: ../shared/seeds is not beside this checkout")
    return path.read_text(encoding="utf-8")


def seeds_correct_passages() -> list[str]:
    """Both seeds without their planted errors: Luoyuan without its 已示公开 sentence."""
    passages = []
    for name in (LUOYUAN, YUEQING):
        for line in seed(name).splitlines():
            if "已示公开" in line:
                line = "。".join(s for s in line.split("。") if "已示公开" not in s)
            if line.strip():
                passages.append(line)
    return passages


def realpage_bodies() -> list[dict]:
    """The shared real pages' main text, read by the crawler's own article reader; the annual report text file."""
    from crawler.extract.article import parse_article
    from crawler.items import Page

    if not REALPAGES.exists():
        pytest.skip("../shared/realpages is not beside this checkout")
    out = []
    for path in sorted(REALPAGES.glob("*.html")):
        read = parse_article(Page.from_html("http://example.gov.cn/a.html", path.read_bytes().decode("utf-8")))
        out.append({"url": path.name, "text": read.main_text, "title": read.title or ""})
    for path in sorted(REALPAGES.glob("*_page.txt")):
        out.append({"url": path.name, "text": path.read_text(encoding="utf-8").split("正文 ====================")[-1]})
    return out
