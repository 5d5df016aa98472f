"""Attachments the public cannot open (附件无法打开): empty, corrupt, password-protected, or of no known format.

The crawler records what it could not read on the attachment's row (`pages.unreadable`): the file's own
problem, or the files inside an archive that could not be read. A reader missing on this machine, or a limit
of ours (size, time, zip bomb), says nothing about the site: it is a limitation of the run, not a finding.
"""

from __future__ import annotations

import json

from checks.api import Check, Finding

INDICATOR = "附件可用性"
PUBLIC_PROBLEMS = {
    "empty": "为空文件",
    "corrupt": "已损坏或内容与文件类型不符",
    "encrypted": "设有密码",
    "unsupported": "格式无法识别",
}
OURS = {"tool": "本机缺少读取工具", "limit": "超出读取限制"}
MAX_LISTED = 10


def _name(crawl, row: dict) -> str:
    links = crawl.links_to(row["url"])
    anchor = next((link["anchor"].strip() for link in links if (link["anchor"] or "").strip()), "")
    return anchor or row["url"].rsplit("/", 1)[-1].split("?")[0] or row["url"]


def _column(crawl, url: str) -> dict | None:
    page = crawl.page(url)
    return crawl.column(page["column_id"]) if page and page["column_id"] else None


class AttachmentUnreadable(Check):
    id = "attachment.unreadable"
    title = "附件无法打开"
    indicator = INDICATOR
    severity = "minor"

    def run(self, crawl, options):
        ours = []
        for row in crawl.pages("attachment"):
            if (row["http_status"] or 200) >= 400 or not row.get("unreadable"):
                continue
            fact = json.loads(row["unreadable"])
            parts = [p for p in fact.get("parts", []) if p["problem"] in PUBLIC_PROBLEMS]
            ours += [f"{row['url']}: {fact['detail']}"] if fact.get("problem") in OURS else []
            ours += [f"{row['url']} {p['part']}: {p['detail']}" for p in fact.get("parts", []) if p["problem"] in OURS]
            if fact.get("problem") not in PUBLIC_PROBLEMS and not parts:
                continue
            yield self._finding(crawl, row, fact, parts)
        if ours:
            crawl.limitation(f"{len(ours)} 个附件（或压缩包内文件）未能读取（{'；'.join(ours[:3])}），未判断其能否打开")

    def _finding(self, crawl, row: dict, fact: dict, parts: list[dict]) -> Finding:
        name = _name(crawl, row)
        problem = fact.get("problem")
        if problem in PUBLIC_PROBLEMS:
            message = f"附件「{name}」{PUBLIC_PROBLEMS[problem]}，公众无法打开"
        else:
            listed = "、".join(f"{p['part']}（{PUBLIC_PROBLEMS[p['problem']]}）" for p in parts[:MAX_LISTED])
            more = f"等 {len(parts)} 个文件" if len(parts) > MAX_LISTED else ""
            message = f"压缩包「{name}」中的 {listed}{more}无法打开"
        linking = list(dict.fromkeys(link["source_url"] for link in crawl.links_to(row["url"])))
        column = next((found["name"] for found in map(lambda url: _column(crawl, url), linking) if found), None)
        evidence = {"attachment": True, "kind": row["platform"], "size": row["size"], "problem": problem,
                    "detail": fact.get("detail"), "parts": parts[:50]}
        return Finding(row["url"], message, evidence, linking or [row["url"]], column)
