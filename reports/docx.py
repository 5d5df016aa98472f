"""A draft 自查情况报告 (self-inspection report) as a Word file: summary, veto status, problems, rectification plan."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from govinspect.progress import progress
from reports.rows import RUN_STATUS_ZH, SEVERITY_ORDER, SEVERITY_ZH, STATE_ZH, UNFINISHED_ZH, Rectification, Row

EXAMPLES = 3  # findings quoted per check in section 三; the rectification list has them all
FILL = "【请填写：{}】"
SECTIONS = ("一、基本情况", "二、单项否决指标情况", "三、发现的主要问题", "四、整改计划", "五、下一步工作")
MAX_PICTURES = 20  # the rest are in the workspace and the HTML report


def _table(doc, header: list[str], rows: list[list]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        for cell, value in zip(table.add_row().cells, values):
            cell.text = "" if value is None else str(value)


def write_docx(report: Rectification, path: str | Path) -> Path:
    from docx import Document

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    open_rows = [r for r in report.rows if r.status == "open"]
    by_category: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for row in open_rows:
        by_category[row.category][row.check_title].append(row)
    run, site = report.run, report.site

    doc = Document()
    doc.add_heading(f"{site['name']}网站自查情况报告（草稿）", level=1)
    doc.add_paragraph(f"根据政府网站与政务新媒体检查指标，{site['name']}于 {report.day} 对本单位网站"
                      f"（{site['base_url']}）开展了自查。现将自查情况报告如下。")

    doc.add_heading(SECTIONS[0], level=2)
    doc.add_paragraph(f"运行状态：{report.health_text}。" + (
        "" if report.health[0] == "ok" else "本次检查未能看到网站的全部内容，以下结论仅限于已检查的部分。"))
    for result in report.unfinished:
        doc.add_paragraph(f"检查项 {result['check_id']}：{UNFINISHED_ZH[result['status']]}（{result['error'] or ''}）",
                          style="List Bullet")
    severity = {s: sum(1 for r in open_rows if r.severity == s) for s in SEVERITY_ORDER}
    doc.add_paragraph(
        f"本次为第 {run['id']} 次检查（{'全量' if run['mode'] == 'full' else '增量'}检查，"
        f"{RUN_STATUS_ZH.get(run['status'], run['status'])}），共检查页面 {run['pages'] or 0} 个。"
        f"发现待整改问题 {len(open_rows)} 个，其中" + "、".join(
            f"{SEVERITY_ZH[s]} {n} 个" for s, n in severity.items() if s != "info" or report.include_info) + "。")
    changes = report.changes
    if changes.since:
        doc.add_paragraph(f"与第 {changes.since} 次检查相比，新发现问题 {len(changes.new)} 个，已整改 "
                          f"{len(changes.fixed)} 个，仍未整改 {len(changes.still_open)} 个。")
    if report.info_left_out:
        doc.add_paragraph(f"另有 {report.info_left_out} 个无法自动核验的事项（如被防火墙拦截的链接），已由人工复核"
                          + FILL.format("复核结果") + "。")

    doc.add_heading(SECTIONS[1], level=2)
    doc.add_paragraph("经自查，" + report.veto_text)
    _table(doc, ["指标", "结果", "数量", "阈值", "说明"],
           [[c["indicator"], STATE_ZH[c["state"]], c["count"], c["threshold"],
             "；".join(x for x in (c.get("reason", ""), c.get("note", "")) if x)] for c in report.veto])

    doc.add_heading(SECTIONS[2], level=2)
    if not by_category:
        doc.add_paragraph("本次自查未发现待整改问题。")
    with progress(f"docx {path.name}", len(by_category), unit="categories") as advance:
        for number, (category, checks) in enumerate(sorted(by_category.items()), start=1):
            total = sum(len(rows) for rows in checks.values())
            doc.add_heading(f"（{_cn(number)}）{category}（{total} 个）", level=3)
            for title, rows in sorted(checks.items(), key=lambda kv: -len(kv[1])):
                doc.add_paragraph(f"{title}：{len(rows)} 个。例如：", style="List Bullet")
                for row in rows[:EXAMPLES]:
                    where = f"（{row.column}）" if row.column else ""
                    doc.add_paragraph(f"{row.message}{where}，{row.url}", style="List Bullet 2")
            advance(1)

    doc.add_heading(SECTIONS[3], level=2)
    doc.add_paragraph(f"对上述问题，按检查项逐项整改，整改时限为 {report.deadline}"
                      f"（{report.deadline_days} 个工作日）。")
    plan = []
    for category, checks in sorted(by_category.items()):
        for title, rows in sorted(checks.items()):
            plan.append([len(plan) + 1, category, title, len(rows), FILL.format("整改措施"), FILL.format("责任人"),
                         report.deadline])
    _table(doc, ["序号", "问题类别", "检查项", "问题数量", "整改措施", "责任人", "整改时限"], plan)

    doc.add_heading(SECTIONS[4], level=2)
    doc.add_paragraph(FILL.format("建立网站日常巡查、内容审核和定期自查机制等下一步工作安排"))
    doc.add_paragraph(site["name"])
    doc.add_paragraph(FILL.format("报告日期"))
    _pictures(doc, report, open_rows)
    doc.core_properties.title = f"{site['name']}网站自查情况报告"
    doc.core_properties.author = "govinspect"
    doc.save(path)
    return path


def _pictures(doc, report: Rectification, open_rows: list[Row]) -> None:
    """附件: the evidence screenshots of the open problems, most severe first, each with what it shows."""
    from io import BytesIO

    from docx.shared import Cm

    shown: dict[int, list[Row]] = {}
    for row in open_rows:  # already most severe first
        if row.screenshot in report.screenshots:
            shown.setdefault(row.screenshot, []).append(row)
    if not shown:
        return
    doc.add_page_break()
    doc.add_heading("附件：问题页面截图", level=2)
    doc.add_paragraph("检查时在浏览器中打开问题所在页面拍摄，红框为问题所在，个人号码已遮蔽。")
    for number, (shot_id, rows) in enumerate(list(shown.items())[:MAX_PICTURES], start=1):
        shot = report.screenshots[shot_id]
        doc.add_picture(BytesIO(shot["png"]), width=Cm(16))
        doc.add_paragraph(f"图 {number}　{shot['url']}：" + "；".join(r.message for r in rows[:3])
                          + (f" 等 {len(rows)} 个问题" if len(rows) > 3 else ""))


def _cn(number: int) -> str:
    digits = "一二三四五六七八九"
    if number <= 9:
        return digits[number - 1]
    tens, ones = divmod(number, 10)
    return (digits[tens - 1] if tens > 1 else "") + "十" + (digits[ones - 1] if ones else "")
