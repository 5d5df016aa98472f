"""Wording (内容表述) by dictionary: leaders' names, fixed formulations, sensitive words (typos: typo.py).

The dictionaries are data (`checks/data/*.txt`, checks/dictionaries.py), matched with Aho-Corasick over the
main text and title of every page and the text of every attachment. A site adds its own files with
`extra_dictionaries` (paths relative to the configuration file) and words never to flag with `whitelist`.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Iterator

from checks.api import Check, CrawlView
from checks.confusion import homophones as homophones_of
from checks.confusion import shapes_of
from checks.dictionaries import (Entry, Matcher, dictionary_paths, file_key, load_matcher, read_dictionary,
                                 shipped, versions)
from checks.textutil import Text, finding, more, nonempty, occurrence, where_name

INDICATOR = "内容表述"
WHITELIST = "whitelist.txt"
# Between a title and a name: nothing or a space (in 总书记、国家主席习近平 the title next to the name is 国家主席).
_GAP = " \u3000"


def _scan(crawl: CrawlView, matcher: Matcher) -> Iterator[tuple[Text, list]]:
    """Each text with its matches as (where, part, start, end, entry), title first, for texts with at least one."""
    for source in nonempty(crawl):
        matches = matcher.find(source.joined[0])
        if matches:
            yield source, [source.locate(m.start, m.end) + (m.entry,) for m in matches]


class TextDictionaryCheck(Check):
    """A check whose findings are the entries of some dictionaries found in the text."""

    files: tuple[str, ...] = ()
    options = {"extra_dictionaries": [], "whitelist": []}
    path_options = ("extra_dictionaries",)

    def paths(self, options) -> list:
        return dictionary_paths(self.files, options.get("extra_dictionaries", []))

    def matcher(self, options) -> Matcher:
        return load_matcher(self.paths(options), options.get("whitelist", []), [shipped(WHITELIST)])

    @abc.abstractmethod
    def message(self, source: Text, where: str, entry: Entry) -> str:
        """The finding's message for one dictionary entry found in `source`."""

    def run(self, crawl, options):
        matcher = self.matcher(options)
        dictionaries = versions(self.paths(options))
        for source, found in _scan(crawl, matcher):
            shown = [occurrence(part, start, end, where=where, suggestion=entry.right, dictionary=entry.source)
                     for where, part, start, end, entry in found]
            yield finding(source, self.message(source, found[0][0], found[0][4]) + more(shown), shown,
                          dictionaries=dictionaries)


class TextFormulation(TextDictionaryCheck):
    id = "text.formulation"
    title = "规范表述错误"
    indicator = INDICATOR
    severity = "critical"
    files = ("formulations.txt",)

    def message(self, source, where, entry):
        if entry.kind == "order":
            return f"{where_name(source, where)}「{entry.wrong}」顺序错误，规范表述为「{entry.right}」"
        return f"{where_name(source, where)}「{entry.wrong}」表述错误，应为「{entry.right}」"


class TextSensitive(TextDictionaryCheck):
    id = "text.sensitive"
    title = "敏感词"
    indicator = INDICATOR
    severity = "major"
    files = ()
    options = {"words": [], "extra_dictionaries": [], "whitelist": []}

    def matcher(self, options):
        words = [Entry(word, None, "words", 0) for word in dict.fromkeys(options.get("words", [])) if word]
        extra = [entry for path in options.get("extra_dictionaries", []) for entry in read_dictionary(path).entries]
        return Matcher(words + extra, options.get("whitelist", []))

    def run(self, crawl, options):
        if not options.get("words") and not options.get("extra_dictionaries"):
            return  # the site's own list, empty by default: nothing to look for
        yield from super().run(crawl, options)

    def message(self, source, where, entry):
        return f"{where_name(source, where)}出现本站敏感词「{entry.wrong}」"


# leaders' names -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leader:
    name: str
    titles: tuple[str, ...]  # the person's own: 总书记, 国务院总理
    weak: tuple[str, ...]  # held by many: 同志, 主席 (only for names of three characters or more)

    @property
    def all_titles(self) -> tuple[str, ...]:
        return self.titles + (self.weak if len(self.name) >= 3 else ())


def _split(field: str) -> tuple[str, ...]:
    return tuple(t for t in field.replace("，", "、").split("、") if t)


@dataclass
class LeaderIndex:
    """Near misses of leaders' names (variant → the leaders and how it differs) and an automaton of their titles:
    the check looks for titles (few, so the scan is fast) and then at the characters beside each one."""

    leaders: dict[str, Leader]
    variants: dict[str, list[tuple[Leader, str]]]
    titles: Matcher
    lengths: tuple[int, ...]
    white: Matcher


_LEADERS: dict[tuple, LeaderIndex] = {}


def leader_index(paths: list, whitelist: list[str]) -> LeaderIndex:
    """Every near miss of every leader's name: one character replaced by a homophone (GB2312 level 1) or a
    similar-shaped character; a near miss that is another leader's name is left out."""
    shapes_file = shipped("similar_shapes.txt")
    key = (file_key(list(paths) + [shapes_file, shipped(WHITELIST)]), tuple(whitelist))
    if key in _LEADERS:
        return _LEADERS[key]
    leaders = {e.wrong: Leader(e.wrong, _split(e.right or ""), _split(e.fields[0]) if e.fields else ())
               for d in (read_dictionary(p) for p in paths) for e in d.entries}
    from pypinyin import Style, lazy_pinyin  # imported when first needed: it takes a sixth of a second

    shapes, homophones = shapes_of(shapes_file), homophones_of()
    variants: dict[str, list[tuple[Leader, str]]] = {}
    for leader in leaders.values():
        readings = lazy_pinyin(leader.name, style=Style.NORMAL)
        for i, char in enumerate(leader.name):
            for kind, chars in (("homophone", homophones.get(readings[i], frozenset())),
                                ("shape", shapes.get(char, set()))):
                for other in sorted(chars - {char}):
                    variant = leader.name[:i] + other + leader.name[i + 1:]
                    if variant not in leaders:
                        variants.setdefault(variant, []).append((leader, kind))
    titles = {t for leader in leaders.values() for t in leader.all_titles}
    white = list(whitelist) + [e.wrong for e in read_dictionary(shipped(WHITELIST)).entries]
    index = LeaderIndex(leaders, variants, Matcher(Entry(t, None, "titles", 0) for t in titles),
                        tuple(sorted({len(name) for name in leaders}, reverse=True)), Matcher((), white))
    if len(_LEADERS) > 16:
        _LEADERS.clear()
    _LEADERS[key] = index
    return index


def leader_near_misses(text: str, index: LeaderIndex) -> list[dict]:
    """Near misses of a leader's name right before or after one of that leader's titles."""
    out, seen = [], set()
    for at, entry in index.titles.occurrences(text):
        title, end = entry.wrong, at + len(entry.wrong)
        before = at
        while before > 0 and text[before - 1] in _GAP:
            before -= 1
        after = end
        while after < len(text) and text[after] in _GAP:
            after += 1
        for length in index.lengths:
            for start, side in ((before - length, "before"), (after, "after")):
                if start < 0 or start in seen:
                    continue
                for leader, kind in index.variants.get(text[start:start + length], ()):
                    if title in leader.all_titles and not index.white.whitelisted(text, start, start + length):
                        seen.add(start)
                        out.append({"start": start, "end": start + length, "leader": leader, "kind": kind,
                                    "title": title, "side": side})
                        break
    return sorted(out, key=lambda hit: hit["start"])


class TextLeaderName(Check):
    id = "text.leader_name"
    title = "领导人姓名错误"
    indicator = INDICATOR
    severity = "critical"
    options = {"extra_dictionaries": [], "whitelist": []}
    path_options = ("extra_dictionaries",)

    def run(self, crawl, options):
        paths = dictionary_paths(("leaders.txt",), options.get("extra_dictionaries", []))
        index = leader_index(paths, options.get("whitelist", []))
        for source in nonempty(crawl):
            hits = leader_near_misses(source.joined[0], index)
            if not hits:
                continue
            shown = []
            for hit in hits:
                where, part, start, end = source.locate(hit["start"], hit["end"])
                shown.append(occurrence(part, start, end, where=where, suggestion=hit["leader"].name,
                                        title=hit["title"], title_side=hit["side"], kind=hit["kind"]))
            if shown:
                first = shown[0]
                pair = (first["title"] + first["text"] if first["title_side"] == "before"
                        else first["text"] + first["title"])
                message = (f"{where_name(source, first['where'])}领导人姓名「{first['text']}」"
                           f"疑为「{first['suggestion']}」之误（「{pair}」）")
                yield finding(source, message + more(shown), shown, dictionaries=versions(paths))
