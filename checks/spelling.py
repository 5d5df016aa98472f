"""Statistical Chinese spelling check (疑似错别字): word segmentation, a confusion model of similar-sound and
similar-shape characters, and an n-gram language model that weighs each correction against the text as written.

How a suspect is found, cheapest step first (the text pass must stay fast):
1. A Chinese character is looked at only when neither pair it forms with its neighbours occurs inside any word of
   jieba's frequency dictionary (an "isolated" character) and it is not a word as common as 的 or 在: a wrong
   character rarely joins its neighbours into a word, a right one almost always does.
2. Each character read alike (pypinyin, toneless) or shaped alike (`similar_shapes.txt`, `shape_pairs.txt`) is
   tried in its place;
   a candidate must turn a run that is no word into a frequent word of 2–4 characters (知只产权 → 知识产权), and
   no word of the text may cross the run's edges (人才政策 is no 才政 for 财政).
3. The language model scores the clause with and without the correction; the gain in log10 probability is the
   suspect's `score`, reported above a threshold fitted by 5-fold cross-validation (tests/benchmarks/typo_quality.py).

The language model is the word-trigram KenLM model of fcitx5's input method (Debian `libime-data-language-model`,
read with pip's `kenlm`); `UnigramScorer` (jieba's own word frequencies) is the alternative the benchmark measures.
Everything is loaded once per process, on first use, and never at import time.
"""

from __future__ import annotations

import math
import operator
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Where Debian's libime-data-language-model puts its model; GOVINSPECT_LM names another file.
LM_PATHS = ("/usr/lib/x86_64-linux-gnu/libime/zh_CN.lm", "/usr/lib/aarch64-linux-gnu/libime/zh_CN.lm",
            "/usr/lib/libime/zh_CN.lm")
MIN_WORD_FREQ = 20  # a correction must make a word at least this frequent in jieba's dictionary
MIN_SINGLE_FREQ = 100_000  # a character this frequent as a word of its own (的, 在, 和) is not looked at
# Fitted on odw.train by tests/benchmarks/typo_quality.py (5-fold: 5.0 for two characters, 2.0 for more), then raised
# until the real pages and seeds gave no false alarm (they did at 2.1 and 3.1 for three characters: 申请数, 企业助).
THRESHOLDS = {2: 5.5, 3: 5.0, 4: 4.0}  # LM gain needed, by the length of the word the correction makes
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")
# A run before 村, 社区 … is a place's name: names are not words of any dictionary.
_PLACE_AFTER = set("村镇乡县路街巷区屯庄寨湾坪坝岭沟里")
_PLACE_AFTER2 = ("社区", "街道", "小区", "公司", "集团")
# The commonest surnames: a rare character right after one is most often a given name (王喆), not a typo.
SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任"
               "沈姚卢姜崔钟谭陆汪范金廖贾夏韦付方白邹孟熊秦邱尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤")
# A firm's name: before 有限公司 … (佰意教育科技有限公司) or right before its trade (帛士数码).
_COMPANY = re.compile(r"[\u4e00-\u9fff]{0,8}(?:有限|公司|集团|股份)|(?:科技|数码|电子|实业|置业|商贸|物流|药业|传媒|电器|"
                      r"机械|食品|纺织|建材|新材|网络|信息技术)")
_CONTEXT = 8  # characters of the clause on each side that the language model reads


@dataclass(frozen=True)
class Suspect:
    start: int  # of the wrong character, in the text given
    wrong: str
    right: str
    word: str  # the word the correction makes
    span: tuple[int, int]  # the run replaced by `word`
    score: float  # log10 gain of the language model


class Vocabulary:
    """jieba's frequency dictionary, the character pairs inside its words, and the confusion sets."""

    def __init__(self) -> None:
        import jieba

        jieba.setLogLevel(60)
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        self.freq: dict[str, int] = self.tokenizer.FREQ
        # "\0\0": a run of anything but Chinese (digits, marks) is never looked at
        self.pairs = {w[i:i + 2] for w, f in self.freq.items() if f and len(w) >= 2 for i in range(len(w) - 1)}
        self.pairs.add("\0\0")
        self.targets = frozenset(w[i:i + 2] for w, f in self.freq.items() if f >= MIN_WORD_FREQ and 2 <= len(w) <= 4
                                 for i in range(len(w) - 1))
        self.common = frozenset({"\0"} | {w for w, f in self.freq.items() if len(w) == 1 and f >= MIN_SINGLE_FREQ})
        self._confusions: dict[str, tuple[str, ...]] = {}

    def confusions(self, char: str) -> tuple[str, ...]:
        known = self._confusions.get(char)
        if known is None:
            known = self._confusions[char] = tuple(sorted(confusion_set(char)))
        return known

    def segment(self, text: str) -> list[str]:
        return self.tokenizer.lcut(text, HMM=False)


def confusion_set(char: str) -> set[str]:
    """Common characters read like `char` (any of its readings, toneless) or listed as shaped like it."""
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    from checks.confusion import homophones, shape_groups, shapes

    readings = pinyin_dict.get(ord(char))
    out: set[str] = set()
    for reading in (readings.split(",") if readings else ()):
        out |= homophones().get(to_normal(reading), frozenset())
    out |= shapes().get(char, set()) | shape_groups().get(char, set())
    out.discard(char)
    return out


class KenlmScorer:
    """log10 probability of a segmented text under a KenLM model."""

    name = "kenlm"

    def __init__(self, path: str, vocabulary: Vocabulary):
        import kenlm

        self.model = kenlm.Model(path)
        self.vocabulary = vocabulary
        self.path = path

    def __call__(self, text: str) -> float:
        return self.model.score(" ".join(self.vocabulary.segment(text)), bos=False, eos=False)

    def knows(self, word: str) -> bool:
        return word in self.model


class UnigramScorer:
    """log10 probability of the best segmentation by jieba's word frequencies (no context beyond the word)."""

    name = "jieba-unigram"

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.total = math.log10(vocabulary.tokenizer.total)

    def __call__(self, text: str) -> float:
        freq, total = self.vocabulary.freq, self.total
        return sum(math.log10(freq.get(w) or 1) - total for w in self.vocabulary.segment(text))

    def knows(self, word: str) -> bool:
        return False


def model_path() -> str | None:
    """The language model file, or None when it is not installed."""
    named = os.environ.get("GOVINSPECT_LM")
    if named:
        return named if Path(named).is_file() else None
    return next((p for p in LM_PATHS if Path(p).is_file()), None)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return Vocabulary()


@lru_cache(maxsize=2)
def detector(kind: str = "kenlm") -> "Detector | str":
    """The process's detector (built on first use), or why it cannot be built (in Chinese, for the run's results)."""
    if kind == "unigram":
        return Detector(UnigramScorer(vocabulary()))
    try:
        import kenlm  # noqa: F401
    except ImportError:
        return "未安装 kenlm 模块，统计错别字检测（疑似错别字）未运行，仅按词典检查"
    path = model_path()
    if path is None:
        return "未找到语言模型 zh_CN.lm（Debian 软件包 libime-data-language-model），统计错别字检测（疑似错别字）未运行，仅按词典检查"
    return Detector(KenlmScorer(path, vocabulary()))


class Detector:
    def __init__(self, scorer, thresholds: dict[int, float] | None = None):
        self.scorer = scorer
        self.vocabulary = scorer.vocabulary
        self.thresholds = thresholds or THRESHOLDS
        self._reach: dict[str, bool] = {}

    def candidates(self, text: str) -> list[Suspect]:
        """Every correction steps 1 and 2 propose, scored (whatever the score): what thresholds are fitted on."""
        out = []
        pairs, common = self.vocabulary.pairs, self.vocabulary.common
        # One pass in C over the whole text: anything but a Chinese character becomes NUL (no word holds it), and
        # known[i] is 1 where text[i] forms a pair of some word with a neighbour (NUL NUL counts as a pair).
        run = _NOT_HAN.sub("\0", text)
        inside = tuple(map(pairs.__contains__, map(str.__add__, run, run[1:])))
        known = bytes(map(operator.or_, (False, *inside), (*inside, False)))
        i = known.find(0)
        while i >= 0:
            at, i = i, known.find(0, i + 1)
            if run[at] in common or not self._reachable(run, at):
                continue
            best = self._best(run, at)
            if best is None:
                continue
            right, s, length, word = best
            if not _excused(text, at, s, length):
                out.append(Suspect(at, run[at], right, word, (s, s + length), round(self._gain(run, at, right), 2)))
        return out

    def find(self, text: str) -> list[Suspect]:
        return [s for s in self.candidates(text) if s.score >= self.thresholds[len(s.word)]]

    def _reachable(self, run: str, i: int) -> bool:
        """Some character confused with run[i] forms, with a neighbour, a pair of a word frequent enough to suggest.

        Remembered by (left, character, right): the same three characters recur all over a site.
        """
        key = run[max(0, i - 1):i + 2] if i else "\0" + run[:2]
        known = self._reach.get(key)
        if known is None:
            if len(self._reach) > 200_000:
                self._reach.clear()
            targets, left, right = self.vocabulary.targets, key[0], key[2:3]
            known = self._reach[key] = any(left + c in targets or c + right in targets
                                           for c in self.vocabulary.confusions(key[1]))
        return known

    def _best(self, run: str, i: int) -> tuple[str, int, int, str] | None:
        """The correction of run[i] that makes the longest, then most frequent, word; None without one."""
        freq, pairs = self.vocabulary.freq, self.vocabulary.targets
        windows = [(length, s, run[s:s + length]) for length in (4, 3, 2)
                   for s in range(max(0, i - length + 1), min(i, len(run) - length) + 1)]
        windows = [w for w in windows if not freq.get(w[2])]
        if not windows:
            return None
        left, right = run[i - 1] if i else "", run[i + 1] if i + 1 < len(run) else ""
        found = []
        for c in self.vocabulary.confusions(run[i]):
            if left + c not in pairs and c + right not in pairs:
                continue
            for length, s, original in windows:
                word = original[:i - s] + c + original[i - s + 1:]
                f = freq.get(word, 0)
                if f >= MIN_WORD_FREQ:
                    found.append((length, f, c, s, word, original))
        for length, f, c, s, word, original in sorted(found, reverse=True):
            if not self.scorer.knows(original) and not _crossed(run, s, length, freq, f):
                return c, s, length, word
            return None
        return None

    def _gain(self, run: str, i: int, right: str) -> float:
        a = max(0, i - _CONTEXT, run.rfind("\0", 0, i) + 1)
        end = run.find("\0", i)
        b = min(len(run) if end < 0 else end, i + _CONTEXT + 1)
        window = run[a:b]
        fixed = window[:i - a] + right + window[i - a + 1:]
        return self.scorer(fixed) - self.scorer(window)


def _crossed(run: str, s: int, length: int, freq: dict, word_freq: int) -> bool:
    """A word of the text crosses an edge of run[s:s+length] and is at least a tenth as frequent as the correction."""
    bar = word_freq / 10
    for a in range(max(0, s - 3), s):
        for b in range(s + 1, s + length):
            if freq.get(run[a:b], 0) > bar:
                return True
    for a in range(s + 1, s + length):
        for b in range(s + length + 1, min(len(run), s + length + 3) + 1):
            if freq.get(run[a:b], 0) > bar:
                return True
    return False


def _excused(text: str, at: int, start: int, length: int) -> bool:
    """A run no dictionary knows for a reason: a place's name (before 村, 社区 …), a firm's (before 有限公司 …), a
    person's (a surname one or two characters before), or a parallel phrase of official writing (涉黑涉恶, 不敢腐、不能腐)."""
    after = text[start + length:start + length + 2]
    if after and (after[0] in _PLACE_AFTER or after in _PLACE_AFTER2):
        return True
    if _COMPANY.match(text, start + length):
        return True
    if any(0 <= at - k and text[at - k] in SURNAMES for k in (1, 2)):
        return True
    return any(_parallel(text, i) for i in range(start, start + length))


def _parallel(text: str, i: int) -> bool:
    """text[i] recurs two places away, or three or four across a 、 (不敢腐、不能腐): a parallel phrase."""
    for step in (2, 3, 4):
        for j in (i - step, i + step):
            if 0 <= j < len(text) and text[j] == text[i] and (step == 2 or "、" in text[min(i, j):max(i, j)]):
                return True
    return False
