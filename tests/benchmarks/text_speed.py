"""Text check benchmark: every text, privacy and disclosure check over at least 50 MB of Chinese text, one core.

The corpus is made here, deterministically: the sample site's article generators (clean 政务 text), the
shared real pages' bodies and the seeds when they are beside the checkout, and sentences of real words
(pypinyin's phrase list) with numbers, dates and punctuation; one page in fifty carries a planted error
(typo, leader's name, formulation, ID number, mobile numbers …) so the checks also build findings.

Prints MB/s (UTF-8 bytes of text judged per second of one process) for all checks together and for each,
the time to load the dictionaries, and a baseline in the same run: one Aho-Corasick pass of the confusion
dictionary over the same text (the least any dictionary check can do). `--store` also runs the checks
through a SQLite store as `govinspect check` does (pages read and decompressed from the database).

Usage: python tests/benchmarks/text_speed.py [--mb 50] [--repeat 3] [--store]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from checks.api import CrawlView  # noqa: E402
from checks.dictionaries import load_matcher, shipped  # noqa: E402
from checks.registry import load_registry  # noqa: E402
from checks.textutil import PlainTexts, crawl_texts  # noqa: E402

AS_OF = date(2026, 11, 20)
MINE = ("text.", "privacy.", "disclosure.")
PLANTED = ["已示公开", "习进平总书记", "中华人民共合国", "扫黑险恶", "秸杆", "青审[2025]5号", "工作,积极推进",
           "身份证号码：11010519491231002X", "姓名 电话\n张三 13900001001\n李四 13700002002",
           "账号：6217001234567890122", "锟斤拷", "2025年2月30日", "贯切落实"]


def _pools(rng: random.Random) -> tuple[list[str], list[str]]:
    """Clean paragraphs (generated articles, real pages, seeds) and real words to make sentences of."""
    from govinspect.demo import content
    from pypinyin.phrases_dict import phrases_dict

    paragraphs: list[str] = []
    day = AS_OF
    for i in range(3000):
        day -= timedelta(days=1)
        for make in (content.dynamic, content.notice, content.audit_result, content.pre_audit, content.planning):
            title, lines = make(rng, day)
            paragraphs += [title] + [line for line in lines if line]
    shared = REPO.parent / "shared"
    try:
        from crawler.extract.article import parse_article
        from crawler.items import Page

        for path in sorted((shared / "realpages").glob("*.html")):
            text = parse_article(Page.from_html("http://example.gov.cn/", path.read_bytes().decode("utf-8"))).main_text
            paragraphs += [p for p in text.split("\n") if p.strip()]
        for path in sorted((shared / "seeds").glob("*")):
            paragraphs += [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    except OSError:
        pass
    words = sorted(w for w in phrases_dict if 2 <= len(w) <= 4)
    # Mixed at random, numbered paragraphs of different articles would be numbering errors: drop the numbers.
    numbered = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.、．])")
    return [numbered.sub("", p) for p in paragraphs], words


def corpus(megabytes: float, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    paragraphs, words = _pools(rng)
    marks = "，，，，。、；：" + "，" * 4
    pages, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        lines = []
        for _ in range(rng.randint(4, 20)):
            if rng.random() < 0.6:
                lines.append(rng.choice(paragraphs))
            else:
                sentence = "".join(rng.choice(words) + (rng.choice(marks) if rng.random() < 0.25 else "")
                                   for _ in range(rng.randint(8, 40)))
                if rng.random() < 0.3:
                    sentence += (f"共{rng.randint(2, 9999)}项，金额{rng.randint(1, 99999) / 10}万元，"
                                 f"{2000 + rng.randint(0, 26)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日")
                lines.append(sentence + "。")
        if i % 50 == 7:
            lines.insert(rng.randrange(len(lines) + 1), PLANTED[(i // 50) % len(PLANTED)])
        text = "\n".join(lines)
        published = AS_OF - timedelta(days=rng.randint(1, 900))
        pages.append({"url": f"http://bench.invalid/art/{i}.html", "text": text, "title": rng.choice(paragraphs)[:30],
                      "published": published.isoformat(), "published_source": "meta",
                      "document_date": (published - timedelta(days=rng.randint(0, 60 if i % 50 == 3 else 5))
                                        ).isoformat()})
        size += len(text.encode("utf-8"))
        i += 1
    return pages


def text_bytes(pages) -> int:
    return sum(len(p["text"].encode("utf-8")) for p in pages)


def run_all(view, checks) -> tuple[dict[str, float], dict[str, int]]:
    times, found = {}, {}
    for cls, options in checks:
        started = time.perf_counter()
        found[cls.id] = sum(1 for _ in cls().run(view, options))
        times[cls.id] = time.perf_counter() - started
    return times, found


def baseline(pages) -> float:
    matcher = load_matcher([shipped("confusions.txt")])
    started = time.perf_counter()
    for page in pages:
        for _ in matcher.find(page["text"]):
            pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--store", action="store_true", help="also run through a SQLite store")
    args = parser.parse_args()

    started = time.perf_counter()
    pages = corpus(args.mb)
    size = text_bytes(pages)
    chars = sum(len(p["text"]) for p in pages)
    print(f"corpus: {len(pages)} pages ({size / len(pages) / 1000:.1f} kB each on average), {size / 1e6:.1f} MB UTF-8, "
          f"{chars / 1e6:.1f} M characters (made in {time.perf_counter() - started:.1f} s)")

    registry = load_registry()
    checks = [(cls, dict(cls.options, **({"words": ["内部资料", "绝密"]} if cls.id == "text.sensitive" else {})))
              for cls in registry if cls.id.startswith(MINE)]
    started = time.perf_counter()
    run_all(PlainTexts(pages[:1], AS_OF), checks)  # loads and builds every dictionary
    print(f"dictionaries loaded and automata built: {time.perf_counter() - started:.2f} s")

    totals, per_check, found = [], {}, {}
    for _ in range(args.repeat):
        view = PlainTexts(pages, AS_OF)
        started = time.perf_counter()
        crawl_texts(view)
        times, found = run_all(view, checks)
        totals.append(time.perf_counter() - started)
        for check_id, seconds in times.items():
            per_check.setdefault(check_id, []).append(seconds)
    total = statistics.median(totals)
    base = statistics.median(baseline(pages) for _ in range(args.repeat))
    print(f"all {len(checks)} checks: {total:.2f} s, {size / 1e6 / total:.1f} MB/s on one core, "
          f"{sum(found.values())} findings (median of {args.repeat})")
    print(f"baseline, one Aho-Corasick pass of confusions.txt: {base:.2f} s, {size / 1e6 / base:.1f} MB/s; "
          f"all checks cost {total / base:.1f}× that")
    for check_id, seconds in sorted(per_check.items(), key=lambda kv: -statistics.median(kv[1])):
        s = statistics.median(seconds)
        print(f"  {check_id:20s} {s:6.2f} s  {size / 1e6 / s:8.1f} MB/s  {found[check_id]:6d} findings")

    if args.store:
        from govinspect.store import Store

        with tempfile.TemporaryDirectory() as folder:
            store = Store(Path(folder) / "bench.db")
            run_id = store.start_run(name="bench", base_url="http://bench.invalid/", mode="full",
                                     as_of=AS_OF.isoformat())
            for at in range(0, len(pages), 500):
                store.write_batch(run_id, pages=[dict(p, kind="article", http_status=200) for p in pages[at:at + 500]])
            store.finish_run(run_id, "completed")
            seconds = []
            for _ in range(args.repeat):
                view = CrawlView(store, run_id, as_of=AS_OF.isoformat())
                started = time.perf_counter()
                run_all(view, checks)
                seconds.append(time.perf_counter() - started)
            s = statistics.median(seconds)
            print(f"through the SQLite store (read, decompress, check): {s:.2f} s, {size / 1e6 / s:.1f} MB/s")
            store.close()


if __name__ == "__main__":
    main()
