"""Dictionaries as data: word lists in `checks/data/*.txt` and a site's own files, read once, matched by Aho-Corasick.

A dictionary file is UTF-8 text, one entry a line: `wrong<TAB>right` (or a word alone when there is no right
form), further TAB-separated fields where a file needs them. Lines starting with `#` are comments; the first
`# version: …` comment names the version. `@order<TAB>A、B、C` stands for every other order of the items, each
an entry whose right form is the line's own order (a fixed formulation written in the wrong order).

A file is parsed again only when it changes (path, size and modification time), so `govinspect check` after
editing a dictionary re-checks with the new entries, without re-crawling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import permutations
from pathlib import Path
from typing import Iterable, Sequence

import ahocorasick

DATA = Path(__file__).with_name("data")
_VERSION = re.compile(r"^#\s*version\s*:\s*(\S.*?)\s*$", re.I)
_ORDER_SEPARATORS = re.compile(r"([、，,；;])")
MAX_ORDER_ITEMS = 6  # 6! orders of a list: enough for 创新、协调、绿色、开放、共享 and more


class DictionaryError(Exception):
    """A dictionary file that cannot be used: the message names the file, the line and the problem."""


@dataclass(frozen=True)
class Entry:
    wrong: str
    right: str | None
    source: str  # file name
    line: int
    fields: tuple[str, ...] = ()  # further fields of the line
    kind: str = "form"  # "form", or "order" for an entry made from an @order line


@dataclass(frozen=True)
class Dictionary:
    path: Path
    version: str | None
    entries: tuple[Entry, ...]


def shipped(name: str) -> Path:
    """A dictionary shipped with the package (`checks/data/NAME`)."""
    return DATA / name


_READ: dict[str, tuple[tuple[int, int], Dictionary]] = {}


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError as error:
        raise DictionaryError(f"{path}: cannot read the dictionary ({error.strerror or error})") from None
    return stat.st_mtime_ns, stat.st_size


def read_dictionary(path: str | Path) -> Dictionary:
    """The parsed file, from the cache unless it changed since it was last read."""
    path = Path(path)
    stamp = _stamp(path)
    known = _READ.get(str(path))
    if known and known[0] == stamp:
        return known[1]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise DictionaryError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise DictionaryError(f"{path}: cannot read the dictionary ({error.strerror or error})") from None
    dictionary = parse_dictionary(text, path)
    _READ[str(path)] = (stamp, dictionary)
    return dictionary


def parse_dictionary(text: str, path: Path) -> Dictionary:
    version, entries = None, []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            found = _VERSION.match(line)
            if found and version is None:
                version = found.group(1)
            continue
        fields = [field.strip() for field in raw.split("\t")]
        fields = [field for field in fields if field] or [line]
        if fields[0] == "@order":
            entries += _orders(fields[1:], path, number)
            continue
        if " " in fields[0] and len(fields) == 1:
            raise DictionaryError(f"{path}:{number}: separate the wrong and the right form with a TAB: {line!r}")
        right = fields[1] if len(fields) > 1 else None
        entries.append(Entry(fields[0], right, path.name, number, tuple(fields[2:])))
    return Dictionary(path, version, tuple(entries))


def _orders(fields: list[str], path: Path, number: int) -> list[Entry]:
    if len(fields) != 1:
        raise DictionaryError(f"{path}:{number}: @order takes one list, its items separated by 、")
    right = fields[0]
    parts = _ORDER_SEPARATORS.split(right)
    items, separators = parts[0::2], parts[1::2]
    if not 2 <= len(items) <= MAX_ORDER_ITEMS or len(set(items)) != len(items) or not all(items):
        raise DictionaryError(f"{path}:{number}: @order needs 2 to {MAX_ORDER_ITEMS} different items: {right!r}")
    out = []
    for order in permutations(items):
        wrong = order[0] + "".join(sep + item for sep, item in zip(separators, order[1:]))
        if wrong != right:
            out.append(Entry(wrong, right, path.name, number, kind="order"))
    return out


@dataclass(frozen=True)
class Match:
    start: int
    end: int  # exclusive
    entry: Entry

    @property
    def wrong(self) -> str:
        return self.entry.wrong

    @property
    def right(self) -> str | None:
        return self.entry.right


class Matcher:
    """Every entry of some dictionaries in one automaton; `find` gives the longest, leftmost, non-overlapping
    matches.

    A match inside an occurrence of a whitelisted word (a word that must never be flagged) is dropped.
    The first entry of a wrong form wins when several files hold it.

    Speed: the automaton looks a character up among the children of its current node one by one, and the
    root of a dictionary of hundreds of entries has hundreds of children. Such a dictionary and the texts are
    matched as UTF-16-BE code units read as Latin-1 (two symbols a character, made in C by encode/decode): a
    node then has at most 256 children and the root only as many as there are high bytes (a few dozen for
    Chinese). A match at an odd symbol offset straddles two characters and is dropped. Measured on 政务 text:
    twice as fast for the 472 entries of confusions.txt (339 first characters), no faster for 65.
    """

    UNITS_ABOVE = 100  # first characters above which matching by code units pays

    def __init__(self, entries: Iterable[Entry], whitelist: Iterable[str] = ()):
        self.entries: dict[str, Entry] = {}
        for entry in entries:
            if entry.wrong and entry.wrong not in self.entries:
                self.entries[entry.wrong] = entry
        self.whitelist = tuple(dict.fromkeys(w for w in whitelist if w))
        self.automaton = ahocorasick.Automaton()
        self.units = len({wrong[0] for wrong in self.entries}) > self.UNITS_ABOVE
        for wrong, entry in self.entries.items():
            key = _units(wrong) if self.units else wrong
            self.automaton.add_word(key, (len(key), entry))
        if self.entries:
            self.automaton.make_automaton()

    def __len__(self) -> int:
        return len(self.entries)

    def occurrences(self, text: str) -> list[tuple[int, Entry]]:
        """(start, entry) of every occurrence, overlapping ones included, in order of their end."""
        if not self.entries or not text:
            return []
        if not self.units:
            return [(last + 1 - length, entry) for last, (length, entry) in self.automaton.iter(text)]
        units = _units(text)
        out = []
        if len(units) == 2 * len(text):
            for last, (length, entry) in self.automaton.iter(units):
                start = last + 1 - length
                if not start % 2:
                    out.append((start // 2, entry))
            return out
        cursors: dict[str, int] = {}  # characters beyond the BMP take four bytes: find each match in the text
        for last, (length, entry) in self.automaton.iter(units):
            if (last + 1 - length) % 2:
                continue
            at = text.find(entry.wrong, cursors.get(entry.wrong, 0))
            if at >= 0:
                cursors[entry.wrong] = at + 1
                out.append((at, entry))
        return out

    def find(self, text: str) -> list[Match]:
        found = self.occurrences(text)
        if not found:
            return []
        out, taken = [], -1
        for start, entry in sorted(found, key=lambda o: (o[0], -len(o[1].wrong))):
            if start < taken:
                continue
            end = start + len(entry.wrong)
            if not self.whitelisted(text, start, end):
                taken = end
                out.append(Match(start, end, entry))
        return out

    def whitelisted(self, text: str, start: int, end: int) -> bool:
        found = text[start:end]
        for word in self.whitelist:
            at = word.find(found)
            while at >= 0:
                if start - at >= 0 and text.startswith(word, start - at):
                    return True
                at = word.find(found, at + 1)
        return False


def _units(text: str) -> str:
    return text.encode("utf-16-be", "surrogatepass").decode("latin-1")


_MATCHERS: dict[tuple, Matcher] = {}


def dictionary_paths(shipped_names: Sequence[str], extra: Sequence[str | Path] = ()) -> list[Path]:
    return [shipped(name) for name in shipped_names] + [Path(p) for p in extra]


def load_matcher(paths: Sequence[str | Path], whitelist: Sequence[str] = (),
                 whitelist_files: Sequence[str | Path] = ()) -> Matcher:
    """One automaton over the files `paths` (built once per set of file versions and whitelist)."""
    dictionaries = [read_dictionary(p) for p in paths]
    white = list(whitelist)
    for path in whitelist_files:
        white += [entry.wrong for entry in read_dictionary(path).entries]
    key = (file_key(paths), tuple(white))
    matcher = _MATCHERS.get(key)
    if matcher is None:
        matcher = Matcher((entry for d in dictionaries for entry in d.entries), white)
        if len(_MATCHERS) > 64:
            _MATCHERS.clear()
        _MATCHERS[key] = matcher
    return matcher


def file_key(paths: Sequence[str | Path]) -> tuple:
    """What identifies the current contents of some dictionary files (for caches built from them)."""
    return tuple((str(Path(p)), _READ[str(Path(p))][0] if str(Path(p)) in _READ else _stamp(Path(p))) for p in paths)


def versions(paths: Sequence[str | Path]) -> dict[str, str | None]:
    """File name → version header, for a finding's evidence."""
    return {Path(p).name: read_dictionary(p).version for p in paths}
