"""The 通报 of a fleet's inspection as a Word file: overall figures, the ranking, vetoes, each unit's problems."""

from __future__ import annotations

from pathlib import Path

from govinspect.fleet.config import FleetConfig
from govinspect.fleet.ranking import HEALTH_ZH, VETO_STATE_ZH, SiteRank, veto_state
from govinspect.store import Store
from reports.docx import _table
from reports.rows import SEVERITY_ZH, build, deadline_for, run_day

PROBLEMS_LISTED = 30  # per unit; the unit's own rectification list (its shard's xlsx) has them all


def write_bulletin(store: Store, config: FleetConfig, sites: list[SiteRank], path: Path, *,
                   deadline_days: int = 10) -> Path:
    from docx import Document

    checked = [s for s in sites if s.run]
    day = max((run_day(s.run) for s in checked), default=None)
    deadline, calendar_note = deadline_for(day, deadline_days) if day else (None, "")
    doc = Document()
    doc.add_heading(f"关于{config.fleet.name}网站检查情况的通报", level=1)
    failed = [s for s in sites if s.health in ("failed", None)]
    vetoed = [s for s in checked if s.vetoes]
    doc.add_paragraph(
        f"按照政府网站检查指标要求，{f'截至 {day} ' if day else '本次'}对{config.fleet.name}所属 {len(sites)} 个网站"
        f"开展了检查，完成检查 {len(checked) - len([s for s in checked if s.health == 'failed'])} 个，"
        f"无法访问或未能检查 {len(failed)} 个，触发单项否决的网站 {len(vetoed)} 个。现将有关情况通报如下。")

    doc.add_heading("一、总体情况", level=2)
    _table(doc, ["排名", "单位（网站）", "分组", "运行状态", "单项否决", "严重", "重要", "一般", "新增", "已整改"],
           [[s.rank, s.name, s.group, HEALTH_ZH.get(s.health, s.health), "、".join(s.vetoes) or "无",
             s.by_severity.get("critical", 0), s.by_severity.get("major", 0), s.by_severity.get("minor", 0),
             s.new, s.fixed] for s in sites])

    doc.add_heading("二、单项否决情况", level=2)
    unjudged = [s for s in checked if any(veto_state(c) == "not_judged" for c in s.veto)]
    if vetoed:
        for s in vetoed:
            doc.add_paragraph(f"{s.name}：{'、'.join(s.vetoes)}。", style="List Bullet")
    elif not unjudged and not failed:
        doc.add_paragraph("本次检查未发现触发单项否决的网站。")
    for s in unjudged:
        cases = "、".join(c["indicator"] for c in s.veto if veto_state(c) == "not_judged")
        doc.add_paragraph(f"{s.name}：{cases}{VETO_STATE_ZH['not_judged']}。", style="List Bullet")
    for s in failed:
        reasons = "；".join((s.run or {}).get("health_reasons") or []) or "网站未能检查"
        doc.add_paragraph(f"{s.name}：{HEALTH_ZH.get(s.health, s.health)}（{reasons}），单项否决指标未检测。",
                          style="List Bullet")

    doc.add_heading("三、各单位存在的问题", level=2)
    for number, s in enumerate([s for s in sites if s.open_findings], start=1):
        doc.add_heading(f"{number}. {s.name}", level=3)
        rows = [r for r in build(store, s.run["id"], status="open", deadline_days=deadline_days).rows]
        _table(doc, ["序号", "问题", "严重程度", "问题页面/链接", "说明"],
               [[i, r.check_title, SEVERITY_ZH.get(r.severity, r.severity), r.url, r.message]
                for i, r in enumerate(rows[:PROBLEMS_LISTED], start=1)])
        if len(rows) > PROBLEMS_LISTED:
            doc.add_paragraph(f"另有 {len(rows) - PROBLEMS_LISTED} 个问题，见该单位的整改清单。")

    doc.add_heading("四、整改要求", level=2)
    if deadline:
        doc.add_paragraph(f"请各单位对照问题清单逐项整改，于 {deadline} 前完成，并报送整改情况。{calendar_note}。")
    doc.add_paragraph("触发单项否决的单位须立即整改；无法访问的网站请核查服务器和网络情况。")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path
