"""Accessibility (无障碍与适老化问题): axe-core's serious and critical violations on the pages the crawl checked in
Chromium (site fact `accessibility`, crawler/accessibility.py), one finding per page with the rule ids."""

from __future__ import annotations

from checks.api import Check, CheckSkipped, Finding

INDICATOR = "功能设计"
RULE_NAMES = {
    "image-alt": "图片缺少替代文本", "label": "表单控件缺少标签", "html-has-lang": "页面未声明语言",
    "color-contrast": "文字对比度不足", "link-name": "链接缺少可读名称", "button-name": "按钮缺少可读名称",
    "frame-title": "框架缺少标题", "document-title": "页面缺少标题", "input-image-alt": "图片按钮缺少替代文本",
}


class AccessibilityViolations(Check):
    id = "accessibility.violations"
    title = "无障碍与适老化问题"
    indicator = INDICATOR
    severity = "minor"
    options = {"impacts": ["serious", "critical"]}

    def run(self, crawl, options):
        fact = crawl.fact("accessibility")
        if fact is None:
            raise CheckSkipped("本次采集未运行无障碍检测（[crawl] accessibility_pages = 0，或较早、中断的采集）")
        if fact["unavailable"]:
            raise CheckSkipped(f"无法运行无障碍检测：{fact['unavailable']}")
        failed = [page["url"] for page in fact["pages"] if page["error"]]
        if failed:
            crawl.limitation(f"{len(failed)} 个页面未能在浏览器中打开，未做无障碍检测（{failed[0]}）")
        for page in fact["pages"]:
            serious = [v for v in page["violations"] if v["impact"] in options["impacts"]]
            if not serious:
                continue
            named = "、".join(f"{RULE_NAMES.get(v['id'], v['help'])}（{v['id']}，{v['nodes']} 处）" for v in serious)
            row = crawl.page(page["url"]) or {}
            column = crawl.column(row.get("column_id"))
            yield Finding(page["url"], f"{len(serious)} 项严重无障碍问题：{named}",
                          {"rules": [v["id"] for v in serious], "violations": serious, "engine": fact["engine"]},
                          [page["url"]], column["name"] if column else None)
