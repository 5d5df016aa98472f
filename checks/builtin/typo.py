"""错别字 (text.typo): dictionary hits and duplicated characters (certain), and the statistical detector's suspects.

Certain: an entry of the confusion dictionary (`confusions.txt`), an official term (`terms.txt`) written with a
character dropped or replaced by one read or shaped alike, a character or word written twice (checks/repeats.py).
Suspected (疑似错别字, `evidence.score`): what checks/spelling.py finds in context. A page's suspects are one finding
of their own (its subject the page's URL with `#suspected-typo`), so a person can judge them apart: a suspect the
site triaged as a false positive (ignored) is not reported again on that site, nor a word of the `whitelist` option.
"""

from __future__ import annotations

from checks.api import CrawlView, Finding
from checks.builtin.wording import INDICATOR, WHITELIST, TextDictionaryCheck
from checks.dictionaries import Entry, Matcher, dictionary_paths, file_key, read_dictionary, shipped, versions
from checks.repeats import repeats
from checks.textutil import Text, finding, more, nonempty, occurrence, where_name

TERMS = "terms.txt"
SUSPECTED = "#suspected-typo"  # a page's suspects: one finding apart from its certain typos
_OMIT_KEPT = set("和及与")  # 发展改革委员会 for 发展和改革委员会 is a usual short form, not a slip


def term_variants(path, freq: dict) -> list[Entry]:
    """Wrong forms of the official terms: an inner character dropped (5 characters or more) or replaced by one
    read or shaped alike (4 or more); a form that is a word of its own or part of another term is left out."""
    from checks.spelling import confusion_set

    terms = [entry.wrong for entry in read_dictionary(path).entries]
    every = "\n".join(terms)
    out: dict[str, Entry] = {}
    for number, term in enumerate(terms, start=1):
        forms = []
        if len(term) >= 5:
            forms += [term[:i] + term[i + 1:] for i in range(1, len(term) - 1) if term[i] not in _OMIT_KEPT]
        if len(term) >= 4:  # 形成合理 is two right words, not a slip for 形成合力
            forms += [form for i, char in enumerate(term) for c in sorted(confusion_set(char))
                      if not _two_words(form := term[:i] + c + term[i + 1:], freq)]
        for form in forms:
            if form not in out and not freq.get(form) and form not in every:
                out[form] = Entry(form, term, path.name, number)
    return list(out.values())


def _two_words(text: str, freq: dict) -> bool:
    return any(freq.get(text[:i]) and freq.get(text[i:]) for i in range(1, len(text)))


_MATCHERS: dict[tuple, Matcher] = {}


def typo_matcher(paths, whitelist) -> Matcher:
    """The confusion dictionaries and the official terms' wrong forms in one automaton (built once per version)."""
    from checks.spelling import vocabulary

    terms = shipped(TERMS)
    white = list(whitelist) + [e.wrong for e in read_dictionary(shipped(WHITELIST)).entries]
    key = (file_key(list(paths) + [terms, shipped(WHITELIST)]), tuple(white))
    if key not in _MATCHERS:
        entries = [e for p in paths for e in read_dictionary(p).entries] + term_variants(terms, vocabulary().freq)
        _MATCHERS.clear()
        _MATCHERS[key] = Matcher(entries, white)
    return _MATCHERS[key]


def ignored_words(crawl: CrawlView) -> set[str]:
    """The wrong words of the site's suspected typos that a person triaged as false positives."""
    out = set()
    for row in crawl.ignored_findings("text.typo"):
        evidence = row["evidence"]
        if evidence.get("confidence") == "suspected":
            out.update(o["text"] for o in [evidence] + evidence.get("occurrences", []) if o.get("text"))
    return out


class TextTypo(TextDictionaryCheck):
    id = "text.typo"
    title = "错别字"
    indicator = INDICATOR
    severity = "major"
    files = ("confusions.txt",)
    options = {"extra_dictionaries": [], "whitelist": [], "suspected": True}

    def matcher(self, options) -> Matcher:
        return typo_matcher(self.paths(options), options.get("whitelist", []))

    def message(self, source, where, entry):
        return f"{where_name(source, where)}「{entry.wrong}」应为「{entry.right}」"

    def run(self, crawl, options):
        from checks.spelling import detector, vocabulary

        paths = self.paths(options)
        matcher = self.matcher(options)
        dictionaries = versions(paths + [shipped(TERMS)])
        found = None
        if options.get("suspected", True):
            found = detector()
            if isinstance(found, str):
                crawl.limitation(found)
                found = None
        skip = ignored_words(crawl)
        freq = vocabulary().freq
        for source in nonempty(crawl):
            text = source.joined[0]
            matches = matcher.find(text)
            certain = [source.locate(m.start, m.end) + (m.entry.right, m.entry.source, "dictionary") for m in matches]
            certain += [source.locate(start, end) + (right, None, "duplicate")
                        for start, end, _, right in repeats(text, freq)
                        if not matcher.whitelisted(text, start, end)]
            if certain:
                certain.sort(key=lambda c: (c[0] != "title", c[2]))
                yield self._certain(source, certain, dictionaries)
            if found is None:
                continue
            taken = [range(m.start, m.end) for m in matches]
            suspects = [s for s in found.find(text) if text[s.span[0]:s.span[1]] not in skip
                        and not matcher.whitelisted(text, *s.span) and not any(s.start in r for r in taken)]
            if suspects:
                yield self._suspected(source, suspects, found.scorer.name)

    def _certain(self, source: Text, hits: list, dictionaries: dict) -> Finding:
        shown = []
        for where, part, start, end, right, dictionary, kind in hits:
            extra = {"dictionary": dictionary} if dictionary else {}
            shown.append(occurrence(part, start, end, where=where, suggestion=right, kind=kind, **extra))
        first = shown[0]
        repeated = "重复，" if first["kind"] == "duplicate" else ""
        message = f"{where_name(source, first['where'])}「{first['text']}」{repeated}应为「{first['suggestion']}」"
        return finding(source, message + more(shown), shown, confidence="certain", dictionaries=dictionaries)

    def _suspected(self, source: Text, suspects: list, model: str) -> Finding:
        shown = []
        for s in suspects:
            where, part, start, end = source.locate(*s.span)
            shown.append(occurrence(part, start, end, where=where, suggestion=s.word, score=s.score,
                                    char=s.wrong, right_char=s.right))
        first = shown[0]
        message = (f"{where_name(source, first['where'])}疑似错别字「{first['text']}」，可能应为「{first['suggestion']}」"
                   f"{more(shown)}")
        out = finding(source, message, shown, confidence="suspected", score=first["score"], model=model)
        out.subject = source.subject + SUSPECTED
        return out

