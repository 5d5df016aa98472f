"""The dictionaries of the text checks: their format and size, that no wrong form occurs in correct text, that
they ship with the package, and the loading and matching machinery (checks/dictionaries.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

from conftest import REPO
from textsite import own_correct_text, realpage_bodies, seeds_correct_passages

from checks.dictionaries import (DATA, DictionaryError, Entry, Matcher, load_matcher, parse_dictionary,
                                 read_dictionary, shipped)

FILES = ["confusions.txt", "formulations.txt", "leaders.txt", "similar_shapes.txt", "whitelist.txt"]
PAIRS = ["confusions.txt", "formulations.txt"]


def entries(name: str) -> list[Entry]:
    return list(read_dictionary(shipped(name)).entries)


@pytest.mark.parametrize("name", FILES)
def test_every_file_is_utf8_with_a_version_header(name):
    text = (DATA / name).read_bytes().decode("utf-8")
    assert text.startswith("# version: ")
    assert read_dictionary(shipped(name)).version


def test_the_confusion_dictionary_holds_at_least_300_real_entries():
    pairs = entries("confusions.txt")
    assert len(pairs) >= 300
    assert all(e.right and e.right != e.wrong and len(e.right) == len(e.wrong) for e in pairs)
    assert len({e.wrong for e in pairs}) == len(pairs)
    assert {"已示公开", "秸杆"} <= {e.wrong for e in pairs}


@pytest.mark.parametrize("name", PAIRS)
def test_entries_are_pairs_of_different_forms(name):
    for entry in entries(name):
        assert entry.right and entry.wrong != entry.right, entry


def test_the_files_do_not_overlap():
    typos, forms = {e.wrong for e in entries("confusions.txt")}, {e.wrong for e in entries("formulations.txt")}
    assert typos.isdisjoint(forms)
    rights = {e.right for name in PAIRS for e in entries(name)}
    wrongs = typos | forms
    assert [(w, r) for w in wrongs for r in rights if w in r] == []  # no wrong form inside a right one


def test_formulations_hold_names_slogans_and_orders():
    forms = {e.wrong: e for e in entries("formulations.txt")}
    assert forms["中华人民共合国"].right == "中华人民共和国" and forms["扫黑险恶"].right == "扫黑除恶"
    assert forms["民主、富强、文明、和谐"].kind == "order" and forms["民主、富强、文明、和谐"].right == "富强、民主、文明、和谐"
    assert "富强、民主、文明、和谐" not in forms


def _correct_texts() -> list[str]:
    texts = own_correct_text()
    try:
        texts += seeds_correct_passages()
    except pytest.skip.Exception:
        pass
    try:
        texts += [page["text"] for page in realpage_bodies()]
    except pytest.skip.Exception:
        pass
    return texts


@pytest.mark.parametrize("name", PAIRS)
def test_no_wrong_form_occurs_in_correct_text(name):
    corpus = "\n".join(_correct_texts())
    assert [e.wrong for e in entries(name) if e.wrong in corpus] == []


@pytest.mark.parametrize("name", PAIRS)
def test_right_forms_occur_in_correct_text_unchanged(name):
    """The corpus uses the right forms, so the test above is not vacuous: a good part of them is there."""
    corpus = "\n".join(_correct_texts())
    plain = [e for e in entries(name) if e.kind == "form"]
    assert sum(e.right in corpus for e in plain) >= len(plain) // 3


@pytest.mark.parametrize("name", PAIRS)
def test_no_wrong_form_is_a_dictionary_word(name):
    """pypinyin's phrase list (47 000 words and idioms, variant spellings included) contains no wrong form."""
    from pypinyin.phrases_dict import phrases_dict

    matcher = Matcher(entries(name))
    assert [(m.wrong, word) for word in phrases_dict for m in matcher.find(word)] == []


def test_leaders_and_shapes():
    leaders = {e.wrong: e for e in entries("leaders.txt")}
    assert {"习近平", "李强", "赵乐际", "王沪宁", "蔡奇", "丁薛祥", "李希", "韩正"} <= set(leaders)
    assert all(e.right for e in leaders.values())  # every leader has titles of their own
    shapes = {e.wrong for e in entries("similar_shapes.txt")}
    assert {c for name in leaders for c in name} <= shapes


def test_the_dictionaries_ship_with_the_package(tmp_path):
    """setup.cfg package_data: build_py of a copy of the project puts every checks/data/*.txt in the build."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(REPO / name, copy / name)
    for package in ("checks", "govinspect", "crawler", "schedules", "reports"):
        if (REPO / package).exists():
            shutil.copytree(REPO / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py",
                             "--build-lib", str(tmp_path / "build")], cwd=copy, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    shipped_names = sorted(p.name for p in (tmp_path / "build" / "checks" / "data").glob("*.txt"))
    assert shipped_names == sorted(p.name for p in DATA.glob("*.txt"))


# ---- the machinery ------------------------------------------------------------------------------------------


def test_parse_comments_fields_and_orders(tmp_path):
    text = "# version: 3\n# a comment\n\n错字\t正字\t更多\n词\n@order\t甲、乙、丙\n"
    parsed = parse_dictionary(text, tmp_path / "x.txt")
    assert parsed.version == "3"
    assert parsed.entries[0] == Entry("错字", "正字", "x.txt", 4, ("更多",))
    assert parsed.entries[1].wrong == "词" and parsed.entries[1].right is None
    orders = {e.wrong for e in parsed.entries[2:]}
    assert len(orders) == 5 and "乙、甲、丙" in orders and "甲、乙、丙" not in orders


@pytest.mark.parametrize("text, problem", [
    ("@order\t甲\n", "@order needs 2"),
    ("@order\t甲、甲\n", "@order needs 2"),
    ("错字 正字\n", "TAB"),
])
def test_bad_lines_are_named(tmp_path, text, problem):
    with pytest.raises(DictionaryError, match=problem) as error:
        parse_dictionary(text, tmp_path / "bad.txt")
    assert "bad.txt:1" in str(error.value)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("错字\t正字\n".encode("gbk"))
    with pytest.raises(DictionaryError, match="not UTF-8"):
        read_dictionary(path)


def test_files_are_read_again_only_when_they_change(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("# version: 1\n甲乙\t甲丙\n", encoding="utf-8")
    first = read_dictionary(path)
    assert read_dictionary(path) is first
    time.sleep(0.01)
    path.write_text("# version: 2\n甲乙\t甲丙\n丁戊\t丁己\n", encoding="utf-8")
    second = read_dictionary(path)
    assert second.version == "2" and len(second.entries) == 2
    assert len(load_matcher([path])) == 2


@pytest.mark.parametrize("text, found", [
    ("已示公开", [(0, "已示公开")]),
    ("甲已示公开乙", [(1, "已示公开")]),
    ("已示公开已示公开", [(0, "已示公开"), (4, "已示公开")]),
    ("中华人民共合国宪法", [(0, "中华人民共合国")]),  # the longest
    ("共合", [(0, "共合")]),
    ("𠮷已示公开𠮷共合", [(1, "已示公开"), (6, "共合")]),  # characters beyond the BMP
    ("\ud800已示公开", [(1, "已示公开")]),  # a lone surrogate left by a bad decoding
    ("", []),
])
@pytest.mark.parametrize("units", [False, True], ids=["characters", "utf16-units"])
def test_matcher_finds_longest_leftmost_non_overlapping(monkeypatch, text, found, units):
    monkeypatch.setattr(Matcher, "UNITS_ABOVE", -1 if units else 10**6)
    matcher = Matcher([Entry(w, None, "t", 0) for w in ("已示公开", "示公", "中华人民共合国", "共合")])
    assert matcher.units == units
    assert [(m.start, m.wrong) for m in matcher.find(text)] == found


@pytest.mark.parametrize("text, found", [
    ("严禁焚烧秸杆", ["秸杆"]),
    ("秸杆王牌肥料厂", []),  # the whole whitelisted word
    ("王牌秸杆", ["秸杆"]),
])
def test_whitelisted_words_are_never_flagged(text, found):
    matcher = Matcher([Entry("秸杆", "秸秆", "t", 0)], whitelist=["秸杆王牌"])
    assert [m.wrong for m in matcher.find(text)] == found


def test_a_large_dictionary_matches_with_every_character():
    """Hundreds of entries (hundreds of root children): matched through the UTF-16 recoding, same answers."""
    matcher = load_matcher([shipped("confusions.txt")])
    assert matcher.units
    text = "，".join(e.wrong for e in entries("confusions.txt"))
    assert [m.wrong for m in matcher.find(text)] == [e.wrong for e in entries("confusions.txt")]


@pytest.mark.parametrize("name", PAIRS)
def test_no_wrong_form_arises_between_real_words(name):
    """Two million characters of random sequences of real words (pypinyin's phrase list): a wrong form made of
    the end of one word and the start of the next (南迁 + 徒托空言 → 迁徒) would be found here."""
    import random

    from pypinyin.phrases_dict import phrases_dict

    words = sorted(w for w in phrases_dict if len(w) <= 4)
    rng = random.Random(4)
    matcher = load_matcher([shipped(name)])
    found = []
    for _ in range(8):
        text = "".join(rng.choice(words) for _ in range(80_000))
        found += [text[max(0, m.start - 5):m.end + 5] for m in matcher.find(text)]
    assert found == []
