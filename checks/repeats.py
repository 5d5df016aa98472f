"""Duplicated characters and words (手续的的批复, 移动移动互联网) that are not a legitimate reduplication.

Precision first: a doubled character is reported only for the function characters that Chinese never doubles
(的的, 和和, 在在 …), outside an AABB form (的的确确); a doubled word only for a word of two characters that is
not a verb doubled to soften it (研究研究) and whose doubled form is no word of its own (谢谢谢谢 is not judged:
谢 is not a function character and 谢谢 is an allowed reduplication).
"""

from __future__ import annotations

import re

# Characters whose doubling is always a slip in written text (a reduplicated 常常, 天天, 人人, 谢谢 is never listed).
NEVER_DOUBLED = set("的得和与及在对将并于由从把被向按其该此或且而但就都还再已之为以是")
# Verbs doubled on purpose (ABAB) in speech reported in a text.
DOUBLED_VERBS = {"研究", "讨论", "学习", "商量", "考虑", "休息", "活动", "锻炼", "了解", "介绍", "打扫", "整理", "比较",
                 "交流", "体验", "尝试", "检查", "收拾", "准备", "思考", "反思", "放松", "打听", "琢磨", "溜达", "热闹",
                 "高兴", "开心", "轻松", "暖和", "凉快", "舒服", "清醒", "明白", "认识", "表扬", "批评", "教育",
                 "帮助", "关心", "照顾", "辛苦", "指导", "调查", "分析", "总结", "提高", "完善", "改进", "落实"}
_NOT_IN_WORD = NEVER_DOUBLED | set("一不了没个")
_DOUBLE = re.compile(r"(?=([\u4e00-\u9fff]{1,2})\1)")  # a lookahead: 推动移动移动 holds 动移动移 and 移动移动


def repeats(text: str, freq: dict | None = None) -> list[tuple[int, int, str, str]]:
    """(start, end, doubled text, right form) of each duplicated character or two-character word.

    `freq` (a word → frequency dictionary) marks which two characters are a word; without it no word is judged.
    """
    out, taken = [], 0
    for m in _DOUBLE.finditer(text):
        unit, start = m.group(1), m.start()
        end = start + 2 * len(unit)
        if start < taken:
            continue
        if len(unit) == 1:
            if unit not in NEVER_DOUBLED:
                continue
            if end + 1 < len(text) and text[end] == text[end + 1] and text[end] != unit:
                continue  # AABB: 的的确确
            if start > 1 and text[start - 1] == text[start - 2] and text[start - 1] != unit:
                continue  # the BB of an AABB
        else:
            if not freq or unit in DOUBLED_VERBS or freq.get(unit, 0) < 100 or freq.get(m.group(0)):
                continue
            if unit[0] == unit[1] or set(unit) & _NOT_IN_WORD:
                continue  # AAAA (emphasis), 一个一个, 是不是不: forms of speech, not a slip
            if start and text[start - 1].isascii() and text[start - 1].isalnum():
                continue  # PPP项目项目经理: the first belongs to a name in Latin letters
        out.append((start, end, text[start:end], unit))
        taken = end
    return out
