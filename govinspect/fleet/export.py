"""The fleet report in each format: the ranking as xlsx, HTML or JSON (`govinspect.fleet/1`), the 通报 as docx."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from govinspect.fleet.config import FleetConfig
from govinspect.fleet.ranking import HEALTH_ZH, SiteRank, document, rank_sites
from govinspect.store import Store, now_iso
from reports.cells import text_cell, web_link
from reports.html import _environment
from reports.rows import SEVERITY_ZH, mask

RANK_HEADERS = ["排名", "网站名称", "网址", "分组", "运行状态", "状态说明", "单项否决", "严重", "重要", "一般",
                "待整改合计", "扣分", "较上次新增", "较上次整改", "检查页面数", "最近检查"]
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BAD_FILL = PatternFill("solid", fgColor="F8CBAD")


def rank_row(site: SiteRank) -> list:
    run = site.run or {}
    sev = site.by_severity
    return [site.rank, site.name, site.base_url, site.group, HEALTH_ZH.get(site.health, site.health),
            "；".join(run.get("health_reasons") or []), "、".join(site.vetoes) or "无", sev.get("critical", 0),
            sev.get("major", 0), sev.get("minor", 0), site.open_findings, site.score, site.new, site.fixed,
            run.get("pages") or 0, (run.get("finished_at") or "")[:16].replace("T", " ")]


def write_fleet_report(store: Store, config: FleetConfig, fmt: str, path: Path, *, deadline_days: int = 10) -> Path:
    sites = rank_sites(store, config)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path.write_text(json.dumps(document(config, sites, now_iso()), ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
    elif fmt == "xlsx":
        _xlsx(config, sites, path)
    elif fmt == "html":
        _html(config, sites, store, path)
    elif fmt == "docx":
        from govinspect.fleet.bulletin import write_bulletin

        write_bulletin(store, config, sites, path, deadline_days=deadline_days)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return path


def _xlsx(config: FleetConfig, sites: list[SiteRank], path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "排名"
    sheet.append(RANK_HEADERS)
    for site in sites:
        sheet.append([text_cell(v) if isinstance(v, str) else v for v in rank_row(site)])
        row = sheet.max_row
        if web_link(site.base_url):
            sheet.cell(row, 3).hyperlink = site.base_url
        if site.vetoes or site.health in ("failed", None):
            sheet.cell(row, 7 if site.vetoes else 5).fill = BAD_FILL
    categories = sorted({c for s in sites for c in s.by_category})
    by_category = book.create_sheet("问题分类")
    by_category.append(["排名", "网站名称", *categories])
    for site in sites:
        by_category.append([site.rank, text_cell(site.name), *[site.by_category.get(c, 0) for c in categories]])
    for ws, widths in ((sheet, [6, 28, 36, 12, 10, 30, 20, 6, 6, 6, 10, 8, 10, 10, 10, 17]),
                       (by_category, [6, 28] + [12] * len(categories))):
        for cell in ws[1]:
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(1, index).column_letter].width = width
        ws.freeze_panes = "C2"
        ws.auto_filter.ref = ws.dimensions
    book.properties.title = f"{config.fleet.name}网站检查排名"
    book.save(path)


def _html(config: FleetConfig, sites: list[SiteRank], store: Store, path: Path) -> None:
    from checks.summary import seen

    # The first 200 open findings of each site, labelled and masked as in the single-site reports.
    findings = {s.key: [{"title": f["title"], "severity": SEVERITY_ZH.get(f["seen_severity"], f["seen_severity"]),
                         "url": f["subject"], "message": mask(f["message"])}
                        for f in seen(store, s.run["id"]) if f["status"] == "open"][:200] if s.run else []
                for s in sites}
    template = _environment().get_template("fleet.html.j2")
    path.write_text(template.render(config=config, sites=sites, findings=findings, headers=RANK_HEADERS,
                                    rank_row=rank_row, nonce=secrets.token_urlsafe(18), generated_at=now_iso()),
                    encoding="utf-8")
