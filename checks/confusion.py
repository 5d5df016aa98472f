"""Characters easily confused with one another: homophones (pypinyin) and similar shapes (`similar_shapes.txt`)."""

from __future__ import annotations

from functools import lru_cache

from checks.dictionaries import read_dictionary, shipped


@lru_cache(maxsize=1)
def homophones() -> dict[str, frozenset[str]]:
    """Toneless pinyin → the common characters (GB2312 level 1) read so."""
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    out: dict[str, set[str]] = {}
    for code, readings in pinyin_dict.items():
        char = chr(code)
        try:
            encoded = char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        if len(encoded) != 2 or not 0xB0 <= encoded[0] <= 0xD7:
            continue
        for reading in readings.split(","):
            out.setdefault(to_normal(reading), set()).add(char)
    return {reading: frozenset(chars) for reading, chars in out.items()}


def shapes_of(path) -> dict[str, set[str]]:
    """Character → the characters a dictionary file lists as shaped like it."""
    out: dict[str, set[str]] = {}
    for entry in read_dictionary(path).entries:
        out.setdefault(entry.wrong, set()).update(entry.right or "")
    return out


@lru_cache(maxsize=1)
def shapes() -> dict[str, set[str]]:
    """The shipped `similar_shapes.txt` (read once: the detector asks for every character it meets)."""
    return shapes_of(shipped("similar_shapes.txt"))


@lru_cache(maxsize=1)
def shape_groups() -> dict[str, set[str]]:
    """Character → the characters of its groups in `shape_pairs.txt` (each group read both ways)."""
    out: dict[str, set[str]] = {}
    for entry in read_dictionary(shipped("shape_pairs.txt")).entries:
        group = set(entry.wrong + (entry.right or ""))
        for char in group:
            out.setdefault(char, set()).update(group - {char})
    return out
