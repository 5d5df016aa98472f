"""法律法规名称 (text.law_title): a 《…法》《…条例》 title of a national law or administrative regulation that does not exist.

Titles are compared with the dated list in `checks/data/law_titles.txt` (a site adds laws passed since with
`extra_titles`, a file of the same format). Only titles that can only be national are judged, so that a province's
regulation or a party rule is never taken for a misspelt law:
- a title that starts with 中华人民共和国 (its version in brackets, （2018年修正）, left out);
- a title ending in 法 (never 办法, 方法 …: only the National People's Congress makes a 法), or in 条例 with as
  many characters as a real regulation and one of them different — a typo, not another body's rule.
A title found neither whole nor without its 中华人民共和国 is reported with the nearest real title as the right form.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from checks.api import Check
from checks.dictionaries import dictionary_paths, file_key, read_dictionary, versions
from checks.textutil import finding, more, nonempty, occurrence, where_name

PREFIX = "中华人民共和国"
_TITLE = re.compile(r"《([^《》\n]{2,60}?(?:法|条例))(?:[（(][^（）()》]{1,20}[）)])?》")
_NOT_LAW = ("办法", "方法", "做法", "说法", "看法", "想法", "用法", "写法", "算法", "语法", "手法", "书法", "兵法",
            "司法", "执法", "守法", "违法", "合法", "依法", "立法", "普法")
_LOCAL = re.compile(r"^.{1,12}?(?:省|市|县|区|州|盟|旗|自治区|特别行政区)")
MIN_SIMILARITY = 0.75  # of the part after 中华人民共和国: below it a title is a law we do not know, not a typo


@dataclass
class LawIndex:
    titles: frozenset[str]  # full titles and the same without 中华人民共和国
    cores: dict[str, str]  # the part after 中华人民共和国 (or the whole title) → the full title


_INDEX: dict[tuple, LawIndex] = {}


def law_index(paths) -> LawIndex:
    key = file_key(paths)
    if key not in _INDEX:
        cores = {}
        for path in paths:
            for entry in read_dictionary(path).entries:
                cores.setdefault(entry.wrong.removeprefix(PREFIX), entry.wrong)
        _INDEX.clear()
        _INDEX[key] = LawIndex(frozenset(cores) | frozenset(cores.values()), cores)
    return _INDEX[key]


def _nearest(core: str, index: LawIndex, *, same_length: bool) -> str | None:
    """The real title one character away (预箅法: 预算法), else the most similar one when similar enough."""
    pool = [c for c in index.cores if len(c) == len(core)]
    one_off = [c for c in pool if sum(a != b for a, b in zip(core, c)) == 1]
    if one_off:
        return index.cores[one_off[0]]
    close = difflib.get_close_matches(core, pool if same_length else list(index.cores), n=1, cutoff=MIN_SIMILARITY)
    return index.cores[close[0]] if close else None


def wrong_title(title: str, index: LawIndex) -> str | None:
    """The real title a written one should have been, or None when it is right or not ours to judge."""
    if title in index.titles:
        return None
    national = title.startswith(PREFIX)
    core = title.removeprefix(PREFIX)
    if not core or core in index.cores:
        return None
    if title.endswith("法"):
        if any(title.endswith(word) for word in _NOT_LAW) and not national:
            return None
        if not national and _LOCAL.match(core):
            return None
        suggestion = _nearest(core, index, same_length=False)
    elif national:
        suggestion = _nearest(core, index, same_length=False)
    else:
        if _LOCAL.match(core):
            return None
        suggestion = _nearest(core, index, same_length=True)
        if suggestion and sum(a != b for a, b in zip(core, suggestion.removeprefix(PREFIX))) != 1:
            suggestion = None
    if suggestion is None:
        return None
    # An abbreviated title (《预算法》) keeps its form: the suggestion is the right one written the same way.
    return suggestion if national else suggestion.removeprefix(PREFIX)


class TextLawTitle(Check):
    id = "text.law_title"
    title = "法律法规名称错误"
    indicator = "内容表述"
    severity = "major"
    options = {"extra_titles": []}
    path_options = ("extra_titles",)

    def run(self, crawl, options):
        paths = dictionary_paths(("law_titles.txt",), options.get("extra_titles", []))
        index = law_index(paths)
        for source in nonempty(crawl):
            text = source.joined[0]
            if "《" not in text:
                continue
            found = []
            for m in _TITLE.finditer(text):
                right = wrong_title(m.group(1), index)
                if right:
                    where, part, start, end = source.locate(m.start(1), m.end(1))
                    found.append(occurrence(part, start, end, where=where, suggestion=right))
            if found:
                first = found[0]
                yield finding(source, f"{where_name(source, first['where'])}《{first['text']}》不是现行法律法规的名称，"
                              f"应为《{first['suggestion']}》{more(found)}", found, titles=versions(paths))
