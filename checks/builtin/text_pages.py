"""Text of whole pages (内容表述): mojibake, blank pages, wrong dates (publication in the future, impossible
dates, a report that plans its own year).

They read the stored main text of pages and the extracted text of attachments, like checks/builtin/text_form.py.
"""

from __future__ import annotations

import re
from datetime import date

from checks.api import Check
from checks.textutil import crawl_texts, finding, more, nonempty, occurrence, where_name

INDICATOR = "内容表述"
_CN_NUM = "一二三四五六七八九十"

# ---- 乱码 -------------------------------------------------------------------------------------------------

_MOJIBAKE = re.compile(
    "(?P<kunkao>锟斤拷)|(?P<tang>烫{3,}|屯{3,})|(?P<fffd>\ufffd+)"
    "|(?P<gbk>[銆锛鈥][\u0080-\uffff]?)"  # UTF-8 read as GBK: 、。“” and full-width marks turn into 銆 锛 鈥
    "|(?P<latin>[äåæçèé][\u0080-\u00bf\u0152-\u2122]{2})"  # UTF-8 read as Latin-1 / cp1252
)
_KINDS = {"kunkao": "GBK 与 UTF-8 转换时损坏的文字", "tang": "未初始化内存的填充字符", "fffd": "解码失败留下的替换字符",
          "gbk": "UTF-8 文字被当作 GBK 解码", "latin": "UTF-8 文字被当作 Latin-1 解码"}
_NEEDS_SEVERAL = {"gbk": 2, "latin": 3}  # one 鈥 can be a real character; two in a page are not


_MARKERS = "锟烫屯\ufffd銆锛鈥äåæçèé"


def mojibake(text: str) -> list[tuple[int, int, str]]:
    if not any(marker in text for marker in _MARKERS):
        return []
    found = [(m.start(), m.end(), m.lastgroup) for m in _MOJIBAKE.finditer(text)]
    counts: dict[str, int] = {}
    for _, _, kind in found:
        counts[kind] = counts.get(kind, 0) + 1
    return [f for f in found if counts[f[2]] >= _NEEDS_SEVERAL.get(f[2], 1)]


class TextMojibake(Check):
    id = "text.mojibake"
    title = "乱码"
    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        for source in nonempty(crawl):
            spans = mojibake(source.text)
            if not spans:
                continue
            found = [occurrence(source.text, start, end, kind=kind) for start, end, kind in spans]
            first = found[0]
            kinds = list(dict.fromkeys(kind for _, _, kind in spans))
            yield finding(source, f"{where_name(source, 'text')}有乱码「{first['text']}」，{_KINDS[first['kind']]}"
                          f"{more(found)}", found, kinds=kinds)


# ---- 空白页面 ---------------------------------------------------------------------------------------------

_EMPTY_RESIDUE = re.compile(r"[\s\u3000\xa0]|附件[:：]?|打印本页|关闭窗口|【?打印】?|【?关闭】?|返回顶部")


class TextBlankPage(Check):
    id = "text.blank_page"
    title = "空白页面"
    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        attachment_links = {link["source_url"] for link in crawl.links() if link["tag"] == "attachment"}
        for source in crawl_texts(crawl):
            row = source.row
            if source.kind != "article" or len(source.text) > 200 or _EMPTY_RESIDUE.sub("", source.text):
                continue
            if row["attachments"] or source.subject in attachment_links:
                continue
            title = source.title or row["url"]
            yield finding(source, f"文章「{title}」页面没有正文内容，也没有附件",
                          [{"text": title, "where": "title", "context": title}],
                          text_chars=row["text_chars"] or 0)


# ---- 日期 -------------------------------------------------------------------------------------------------

_TEXT_DATE = re.compile(r"年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")  # the year is read backwards from 年
_YEAR_BEFORE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*$")
_ISO_DATE = re.compile(r"((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?![\d-])")
# A report or summary of year Y (its plans are for Y+1); not a plan, and not a 政府工作报告 (titled by the year it
# is delivered in, whose plans are for that same year).
_REPORT_TITLE = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?[^，。\n]{0,40}?(?:年度报告|工作总结|年报)")
_NOT_A_REPORT = re.compile(r"计划|要点|方案|安排|打算|政府工作报告")
_PLAN_HEADING = re.compile(r"^[^\n]{0,12}(?:改进|下一步|工作计划|工作打算|努力方向|工作思路|工作安排)[^\n]{0,20}$", re.M)
_TOP_HEADING = re.compile(rf"^[ \t\u3000]*[{_CN_NUM}]{{1,3}}、", re.M)
_PLANS = r"(?P<y>(?:19|20)\d{2})\s*年(?:度)?\s*[，,]?\s*[^\n。，,；;]{0,8}?(?:将|要|计划|拟|力争)(?:继续|进一步|持续)?"


def impossible_dates(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _TEXT_DATE.finditer(text):
        year = _YEAR_BEFORE.search(text, max(0, m.start() - 6), m.start())
        if year and not _valid(int(year.group(1)), int(m.group(1)), int(m.group(2))):
            out.append((year.start(), m.end()))
    if "-" in text:
        for m in _ISO_DATE.finditer(text):
            if (m.start() == 0 or not (text[m.start() - 1].isdigit() or text[m.start() - 1] in ".-")) and \
                    not _valid(*(int(g) for g in m.groups())):
                out.append((m.start(), m.end()))
    return sorted(out)


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def report_year(source) -> int | None:
    head = [line for line in source.text[:600].split("\n") if line.strip()][:3]
    for line in [source.title] + head:
        m = _REPORT_TITLE.search(line or "")
        if m and not _NOT_A_REPORT.search(line):
            return int(m.group(1))
    return None


def own_year_plans(text: str, year: int) -> list[re.Match]:
    """「Y年，我局将继续…」 in the improvement section of year Y's own report (plans belong to Y+1)."""
    out = []
    for heading in _PLAN_HEADING.finditer(text):
        nxt = _TOP_HEADING.search(text, heading.end())
        section_end = nxt.start() if nxt else len(text)
        for m in re.finditer(_PLANS, text[heading.end():section_end]):
            if int(m.group("y")) == year:
                out.append((heading.end() + m.start(), heading.end() + m.end()))
    return out


class TextDate(Check):
    id = "text.date"
    title = "日期错误"
    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        for source in crawl_texts(crawl):
            row, found, problems = source.row, [], []
            published = row.get("published")
            if published and not source.is_attachment and date.fromisoformat(published) > crawl.as_of:
                shown = published
                found.append({"text": shown, "where": "published", "context": f"发布日期 {shown}",
                              "source": row.get("published_source"), "problem": "future"})
                problems.append(f"发布日期 {published} 晚于检查日期 {crawl.as_of}")
            for start, end in impossible_dates(source.text):
                found.append(occurrence(source.text, start, end, problem="impossible"))
                problems.append(f"日期「{source.text[start:end]}」不存在")
            year = report_year(source)
            if year:
                for start, end in own_year_plans(source.text, year):
                    found.append(occurrence(source.text, start, end, suggestion=f"{year + 1}年", problem="year",
                                            report_year=year))
                    problems.append(f"{year}年的报告在改进措施中写「{source.text[start:end]}」，应为{year + 1}年的打算")
            if found:
                yield finding(source, problems[0] + more(found), found)
