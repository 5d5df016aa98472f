"""A finding's evidence in words a bureau's staff read: the wrong text and its right form, or its key facts."""

from __future__ import annotations

LABELS = {
    "http_status": "HTTP 状态", "kind": "类型", "newest": "最新信息日期", "age_days": "已过天数",
    "limit_days": "时限（天）", "missing": "缺少", "host": "域名", "anchor": "链接文字", "words": "关键词",
    "published": "发布日期", "deadline": "期限", "days_late": "逾期天数", "undated": "未标日期条数",
    "items": "条数", "year": "年度", "category": "栏目类别", "document_date": "成文日期",
    "working_days": "工作日数", "limit_working_days": "时限（工作日）", "asked": "提交日期", "due": "应答复日期",
    "waited_days": "已等待天数", "max_months": "时限（月）", "footer": "底部标注", "meta": "网页标签", "rule": "依据", "status": "状态",
    "title": "页面标题", "named": "解读所指文件", "linked_title": "所链文件", "document_published": "文件发布日期",
    "interpretation_published": "解读发布日期", "newest_year": "最新年报年度", "text_chars": "正文字数",
    "list_date": "列表日期", "address_kind": "地址类型", "format": "格式依据", "distinct": "不同号码数",
    "template": "网站模板问题", "pages_affected": "受影响页面数", "pages_checked": "检查页面数", "homepage": "首页另有",
}
CATEGORIES = {"dynamic": "动态要闻", "notice": "通知公告", "policy": "政策文件", "interpretation": "政策解读",
              "annual_report": "信息公开年报", "budget": "预决算", "personnel": "人事信息", "planning": "规划计划",
              "audit_result": "审计结果公告", "pre_audit": "审前公示", "institution": "机构职能",
              "guide": "信息公开指南", "interaction": "互动交流", "other": "其他"}
VALUES = {"page": "页面", "image": "图片", "attachment": "附件", "external": "外部链接", "resource": "资源",
          "private": "内网", "loopback": "本机", True: "是", False: "否"}
# Bookkeeping of the checks, not facts about the page: the JSON export keeps them.
SKIPPED = {"text", "suggestion", "context", "where", "count", "occurrences", "dictionaries", "calendar",
           "calendar_fallback_years", "reason", "offset", "first_level", "navigation_only", "level", "paired_by"}
MAX_CONTEXT = 120


def highlight_parts(evidence: dict) -> tuple[str, str, str, str]:
    """(text before, the wrong text, text after, the right form) from the evidence's context; empty when none."""
    wrong = evidence.get("text")
    if not isinstance(wrong, str) or not wrong:
        return "", "", "", ""
    context = evidence.get("context") if isinstance(evidence.get("context"), str) else ""
    right = evidence.get("suggestion") if isinstance(evidence.get("suggestion"), str) else ""
    at = context.find(wrong) if context else -1
    if at < 0:
        return "", wrong, "", right
    before, after = context[:at], context[at + len(wrong):]
    return before[-MAX_CONTEXT // 2:], wrong, after[:MAX_CONTEXT // 2], right


def _value(value) -> str | None:
    if isinstance(value, bool) or (isinstance(value, str) and value in VALUES):
        return VALUES[value]
    if isinstance(value, (int, float, str)):
        text = str(value)
        return text if len(text) <= 200 else text[:200] + "…"
    if isinstance(value, list) and value and all(isinstance(v, (int, float, str)) for v in value):
        shown = "、".join(str(v) for v in value[:6])
        return shown + (f" 等 {len(value)} 项" if len(value) > 6 else "")
    return None  # tables, nested records: too much for one cell


def evidence_line(evidence: dict) -> str:
    """「wrong」→「right」 with its context, then the other facts, as one cell's text."""
    parts = []
    before, wrong, after, right = highlight_parts(evidence)
    if wrong:
        line = f"「{wrong}」" + (f" 应为「{right}」" if right else "")
        if before or after:
            line += f"；原文：…{before}{wrong}{after}…"
        parts.append(line)
    for key, value in evidence.items():
        if key in SKIPPED or value is None or value == "" or value == []:
            continue
        shown = CATEGORIES.get(value, value) if key == "category" else _value(value)
        if shown is not None and not (key.startswith("http") and shown.startswith("http")):
            parts.append(f"{LABELS.get(key, key)}：{shown}")
    return "；".join(parts)
