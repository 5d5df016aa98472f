"""Template defects: a defect most pages share comes from the site's template and is one finding, not one a page.

The rule: a defect is the template's when at least `template_share` of the pages it was judged on have it and
they are at least `template_min_pages` pages (defaults 0.5 and 20). Below 20 pages a list of one row a page is
still short enough to work through, and each row names a page to open; at 20 and more, and on most pages, the
rows all say the same thing and the fix is one edit of the template. A page whose defects differ from the
template's keeps its own finding for what the template does not explain.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Hashable, Iterable, Iterator

from checks.api import CrawlView, Finding

OPTIONS = {"template_share": 0.5, "template_min_pages": 20}
MINIMUMS = {"template_min_pages": 2}  # a template is shared by pages
EXAMPLES = 5  # pages named in the template finding; the count says how many there are


@dataclass
class Judged:
    """One page as a check judged it: its defects, and the defects it could have had (None: every one)."""

    page: dict
    defects: list[Hashable]
    applicable: Iterable[Hashable] | None = None

    def __post_init__(self):
        # Every page of a large site is held until the end: its address and column, not its text.
        self.page = {"url": self.page["url"], "column_id": self.page.get("column_id")}


@dataclass
class Template:
    defects: dict[Hashable, tuple[int, int]]  # the template's defects: (pages that have it, pages judged for it)
    pages: list[str] = field(default_factory=list)  # pages showing at least one of them
    checked: int = 0  # pages judged


def fold(judged: list[Judged], share: float, min_pages: int) -> tuple[Template | None, list[tuple[dict, list]]]:
    """The template's defects (None when no defect is that common), and each page with the defects left to it."""
    having: Counter = Counter(d for j in judged for d in dict.fromkeys(j.defects))
    # A defect a page could not have had (an article tag on a column page) does not count against the share.
    judged_for: Counter = Counter()
    everywhere = sum(1 for j in judged if j.applicable is None)
    for j in judged:
        if j.applicable is not None:
            judged_for.update(set(j.applicable))
    common = {d: (n, judged_for[d] + everywhere) for d, n in having.items()
              if n >= min_pages and n >= share * (judged_for[d] + everywhere)}
    if not common:
        return None, [(j.page, j.defects) for j in judged if j.defects]  # in the check's order, as before
    template = Template(common, checked=len(judged))
    rest = []
    for j in sorted(judged, key=lambda j: j.page["url"]):
        if any(d in common for d in j.defects):
            template.pages.append(j.page["url"])
        left = [d for d in j.defects if d not in common]
        if left:
            rest.append((j.page, left))
    return template, rest


def fold_findings(crawl: CrawlView, judged: list[Judged], options: dict, describe: Callable[[list], str],
                  evidence: Callable[[list], dict], column: Callable[[dict], str | None]) -> Iterator[Finding]:
    """The per-page findings of the pages the template does not explain, then one finding for the template.

    The template finding's subject is the homepage; `describe` words a list of defects, `evidence` gives
    their facts. When the homepage also has defects of its own, they are named in the same finding.
    """
    template, rest = fold(judged, options["template_share"], options["template_min_pages"])
    home = crawl.homepage
    home_url = home["url"] if home else crawl.site.base_url
    own_home = []
    for page, defects in rest:
        if template and page["url"] == home_url:
            own_home = defects
            continue
        yield Finding(page["url"], describe(defects), evidence(defects), [page["url"]], column(page))
    if template is None:
        return
    defects = list(template.defects)
    affected = len(template.pages)
    message = (f"网站模板问题（{affected} 个页面，共检查 {template.checked} 个）：{describe(defects)}；"
               f"修改模板即可一并整改")
    facts = {**evidence(defects), "template": True, "pages_affected": affected, "pages_checked": template.checked,
             "by_defect": [{"defect": describe([d]), "pages": n, "checked": judged_for}
                           for d, (n, judged_for) in template.defects.items()]}
    if own_home:
        message += f"；首页另有：{describe(own_home)}"
        facts["homepage"] = describe(own_home)
    shown_home = [home_url] if home_url in template.pages or own_home else []
    examples = shown_home + [url for url in template.pages if url != home_url][:EXAMPLES - len(shown_home)]
    yield Finding(home_url, message, facts, examples, column(home) if home else None)
