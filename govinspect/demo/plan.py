"""The sample site's plan: its columns, how their items are dated, and the builder that plants and fills them."""

from __future__ import annotations

import datetime
import hashlib
import random

from govinspect.demo import content as c
from govinspect.demo.model import Col, Doc, Resource
from govinspect.demo.render_other import UCAP_SITE

DAY = datetime.timedelta(days=1)

# key, name, category, platform, list path, options. Hanweb column/unit ids look like real JCMS ids.
COLUMNS = (
    ("sjdt", "审计动态", "dynamic", "hanweb", "/col/col1229401/index.html", dict(colid=1229401, unitid=3801)),
    ("tpxw", "图片新闻", "dynamic", "hanweb", "/col/col1229402/index.html", dict(colid=1229402, unitid=3802)),
    ("tzgg", "通知公告", "notice", "hanweb", "/col/col1229403/index.html", dict(colid=1229403, unitid=3803)),
    ("zcwj", "政策文件", "policy", "ucap", f"/{UCAP_SITE}/zcwj/index.shtml", {}),
    ("zcjd", "政策解读", "interpretation", "ucap", f"/{UCAP_SITE}/zcjd/index.shtml", {}),
    ("gfxwj", "规范性文件", "policy", "trs", "/xxgk/gfxwj/index.html", dict(per_page=10)),
    ("nb", "信息公开年报", "annual_report", "hanweb", "/col/col1229404/index.html", dict(colid=1229404, unitid=3804)),
    ("ndbg", "政务公开年度报告", "annual_report", "trs", "/xxgk/ndbg/index.html", dict(per_page=10)),
    ("yjs", "预决算", "budget", "trs", "/xxgk/yjs/index.html", dict(per_page=10)),
    ("rsxx", "人事信息", "personnel", "trs", "/xxgk/rsxx/index.html", dict(per_page=10)),
    ("ghjh", "规划计划", "planning", "trs", "/xxgk/ghjh/index.html", dict(per_page=10, pager="count")),
    ("sjjg", "审计结果公告", "audit_result", "hanweb", "/col/col1229405/index.html", dict(colid=1229405, unitid=3805)),
    ("sqgs", "审前公示", "pre_audit", "generic", "/zwgk/sqgs/list.html", dict(per_page=8, encoding="gbk")),
    ("jgzn", "机构职能", "institution", "hanweb", "/col/col1229406/index.html", dict(colid=1229406, unitid=3806, dated=False)),
    ("xxgkzn", "信息公开指南", "guide", "hanweb", "/col/col1229407/index.html", dict(colid=1229407, unitid=3807)),
    ("lyb", "互动交流", "interaction", "generic", "/hdjl/lyb/list.jsp", dict(per_page=10)),
    ("ztzl", "专题专栏", "other", "generic", "/ztzl/list.html", dict(per_page=12)),
    ("xzzf", "行政执法公示", "other", "trs", "/xxgk/xzzfgs/index.html", {}),
)

# Regular columns: default item count, newest filler (days before as_of), filler step range (days), text pool.
REGULAR = {
    "sjdt": (56, 16, (2, 5), c.dynamic), "tpxw": (8, 40, (15, 40), c.dynamic),
    "tzgg": (20, 33, (7, 20), c.notice), "zcwj": (8, 30, (20, 40), None), "zcjd": (6, 30, (20, 40), None),
    "gfxwj": (6, 300, (40, 90), None), "yjs": (14, 420, (20, 45), c.budget),
    "rsxx": (12, 300, (15, 40), c.personnel), "ghjh": (12, 500, (30, 90), c.planning),
    "sjjg": (24, 50, (10, 30), c.audit_result), "sqgs": (10, 60, (15, 30), c.pre_audit),
    "lyb": (14, 5, (8, 25), None), "ztzl": (25, 35, (10, 25), c.special),
}
SPAN_DAYS = 8 * 365  # scaled columns stay within about eight years of history


class Builder:
    """Collects columns, docs, binary resources and the planted defects / near misses."""

    def __init__(self, as_of: datetime.date, base_url: str, articles_per_column: int | None, seed: int):
        self.as_of = as_of
        self.base_url = base_url
        self.apc = articles_per_column
        self.seed = seed
        self.cols: dict[str, Col] = {}
        self.binaries: dict[str, Resource] = {}
        self.defects: list[dict] = []
        self.near: list[dict] = []
        self._next_id = {"hanweb": 5800100, "trs": 881000, "generic": 1200, "ucap": 0}
        for key, name, cat, platform, path, opts in COLUMNS:
            self.cols[key] = Col(key, name, cat, platform, path, **opts)

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def ago(self, days: int) -> datetime.date:
        return self.as_of - days * DAY

    def rng(self, *parts: object) -> random.Random:
        # String seeds are hashed with SHA-512 by `random`: stable across runs and processes.
        return random.Random("/".join(map(str, (self.seed, *parts))))

    def defect(self, check: str, url: str, note: str, **extra: object) -> None:
        self.defects.append({"check": check, "url": url, "note": note, **extra})

    def near_miss(self, check: str, url: str, note: str, **extra: object) -> None:
        self.near.append({"check": check, "url": url, "note": note, **extra})

    def binary(self, path: str, body: bytes, ctype: str, **headers: str) -> str:
        self.binaries[path] = Resource(body, ctype, headers=dict(headers))
        return self.url(path)

    def hexid(self, *parts: object) -> str:
        return hashlib.md5("/".join(map(str, (self.seed, *parts))).encode()).hexdigest()

    def doc(self, key: str, title: str, day: datetime.date, paras: list[str] | None = None, *,
            pub: str | None | bool = True, **fields: object) -> Doc:
        """A new article of column `key`, its URL shaped as the column's platform shapes them."""
        col = self.cols[key]
        kind = "generic" if col.platform == "generic" else col.platform
        self._next_id[kind] += 1
        n = self._next_id[kind]
        if col.platform == "hanweb":
            path = f"/art/{day.year}/{day.month}/{day.day}/art_{col.colid}_{n}.html"
        elif col.platform == "trs":
            path = col.path.rsplit("/", 1)[0] + f"/{day:%Y%m}/t{day:%Y%m%d}_{n}.html"
        elif col.platform == "ucap":
            fields.setdefault("extra", {})["hex"] = self.hexid(key, n)
            path = col.path.rsplit("/", 1)[0] + f"/{day:%Y%m}/{fields['extra']['hex']}.shtml"
        elif key == "lyb":
            path = f"/hdjl/lyb/detail.jsp?id={day:%Y%m%d}{n:04d}"
        else:
            path = col.path.rsplit("/", 1)[0] + f"/content_{n}.html"
        if pub is True:
            r = self.rng("time", key, n)
            pub = f"{day.isoformat()} {r.randint(8, 17):02d}:{r.randint(0, 59):02d}"
        extra = fields.pop("extra", {})
        extra.update(id=n, seq=len(col.docs) + 1)
        doc = Doc(title=title, day=day, pub=pub or None, path=path, url=self.url(path), paras=paras or [],
                  extra=extra, **fields)
        col.docs.append(doc)
        return doc

    def target_count(self, key: str) -> int:
        default = REGULAR[key][0]
        return default if self.apc is None else max(self.apc, len(self.cols[key].docs))

    def filler_days(self, key: str, count: int) -> list[datetime.date]:
        _, newest, (lo, hi), _ = REGULAR[key]
        if self.apc is not None and count > 0:
            hi = min(hi, max(1, (SPAN_DAYS - newest) // count))
            lo = min(lo, hi)
        r = self.rng("days", key)
        days, age = [], newest
        for _ in range(count):
            days.append(self.ago(age))
            age += r.randint(lo, hi)
        return days

    def fill(self, key: str) -> list[Doc]:
        """Top the column up to its item count with clean, realistic articles."""
        gen = REGULAR[key][3]
        count = self.target_count(key) - len(self.cols[key].docs)
        r = self.rng("fill", key)
        out = []
        for day in self.filler_days(key, max(0, count)):
            title, paras = gen(r, day)
            out.append(self.doc(key, title, day, paras))
        return out

    def finish(self) -> None:
        """Lists show newest first; undated lists keep their editorial order."""
        for col in self.cols.values():
            if col.dated:
                col.docs.sort(key=lambda d: (d.day, d.extra["id"]), reverse=True)
