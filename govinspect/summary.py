"""What an audit prints at its end (run health first, in Chinese), and the reports it writes into the output folder."""

from __future__ import annotations

import json
from pathlib import Path

import click

from checks import summary
from checks.registry import load_registry
from govinspect.findings import PassResult
from govinspect.health import HEALTH_ZH, OFFLINE_REASON
from govinspect.store import Store

STATE_ZH = {"triggered": "触发", "clear": "未触发", "not_judged": "未检测"}
MODE_ZH = {"full": "全量", "incremental": "增量"}
SEVERITY_ZH = {"critical": "严重", "major": "重要", "minor": "一般", "info": "提示"}


def run_figures(store: Store, run_id: int) -> dict:
    """Counts a person wants to see after a crawl, read back from the store."""
    db = store.db
    kinds = dict(db.execute("select kind, count(*) from pages where run_id = ? group by kind", [run_id]).fetchall())
    items, dated = db.execute("select count(*), count(date) from column_items where run_id = ?", [run_id]).fetchone()
    columns = store.columns(run_id)
    failed = db.execute("select count(*) from pages where run_id = ? and (error is not null or http_status >= 400)",
                        [run_id]).fetchone()[0]
    offline = db.execute("select count(*) from targets where run_id = ? and verdict = 'unverified' and reason = ?",
                         [run_id, OFFLINE_REASON]).fetchone()[0]
    return {"kinds": kinds, "items": items, "dated_items": dated, "columns": len(columns),
            "empty_columns": sum(1 for c in columns if not c["items"]), "failed_pages": failed,
            "links": db.execute("select count(*) from links where run_id = ?", [run_id]).fetchone()[0],
            "offline_targets": offline}


def health_line(store: Store, run_id: int) -> str:
    """运行状态 in one line: the verdict and why; what every output starts with."""
    health, reasons = store.health(run_id)
    return f"运行状态：{HEALTH_ZH[health]}" + (f"（{'；'.join(reasons)}）" if reasons else "")


FAULT_NOTE = "故障说明.txt"


def write_reports(store: Store, run_id: int, out_dir: Path) -> list[Path]:
    """The reports of a run into `out_dir`, never replacing a whole run's reports with a lesser run's.

    A whole run (ok or degraded) writes every format beside the old ones, then renames them into place;
    an interrupted run writes into `interrupted-run-N/` inside `out_dir`; a failed run writes only a
    故障说明 (what failed, and which run the reports in the folder still show).
    """
    from reports.export import write_all

    out_dir = Path(out_dir)
    health, reasons = store.health(run_id)
    if health == "failed":
        return [_fault_note(store, run_id, out_dir)]
    if health == "interrupted":
        return write_all(store, run_id, out_dir / f"interrupted-run-{run_id}")
    staging = out_dir / f".run-{run_id}.partial"
    written = write_all(store, run_id, staging)
    placed = []
    for path in written:
        target = out_dir / path.name
        path.replace(target)
        placed.append(target)
    staging.rmdir()
    (out_dir / FAULT_NOTE).unlink(missing_ok=True)  # the failure it described is no longer the latest word
    return placed


def _fault_note(store: Store, run_id: int, out_dir: Path) -> Path:
    run = store.run(run_id)
    last = store.latest_whole_run(run["site_id"])
    lines = [f"{run['site_name']}（{run['base_url']}）网站自查故障说明", "",
             f"第 {run_id} 次检查（{run['started_at']}）{health_line(store, run_id)}。",
             "本次未能打开网站，没有检查任何内容，也没有改变任何问题的状态。",
             (f"本目录中的其他报告仍为第 {last['id']} 次检查（{last['started_at']}）的结果。" if last
              else "本站尚无一次完整的检查结果。"),
             "请确认网站是否可以访问（或检查本机网络），然后重新运行 govinspect audit。"]
    path = out_dir / FAULT_NOTE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def veto_line(cases: list[dict]) -> str:
    def state(case: dict) -> str:
        if case["state"] == "not_judged":
            return f"{case['indicator']} 未检测（{case['reason']}）"
        return (f"{case['indicator']} {STATE_ZH[case['state']]} ({case['count']}/{case['threshold']}"
                + ("，估计" if "note" in case else "") + ")")

    return "  单项否决: " + "; ".join(state(c) for c in cases)


def findings_lines(store: Store, run_id: int, result: PassResult | None = None) -> list[str]:
    """The findings a run saw, by severity and check, what the pass changed, the checks that failed, the veto."""
    severities = summary.by_severity(store, run_id)
    counts = summary.by_check(store, run_id)
    titles = {cls.id: cls.title for cls in load_registry()}
    line = f"  问题 {sum(counts.values())} 个：" + "，".join(
        f"{SEVERITY_ZH[name]} {severities.get(name, 0)}" for name in SEVERITY_ZH)
    if result:
        line += f"（新发现 {result.new}，重新出现 {result.reopened}，本次确认已整改 {result.fixed}）"
    lines = [line]
    if counts:
        lines.append("  按检查项：" + "，".join(f"{titles.get(check_id, check_id)} {n}" for check_id, n in counts.items()))
    unfinished = [r for r in store.check_results(run_id) if r["status"] in ("failed", "skipped", "partial")]
    failed = [r for r in unfinished if r["status"] == "failed"]
    if failed:
        lines.append(f"  本次有 {len(failed)} 项检查未能完成（其原有问题状态不变）：" + "；".join(
            f"{titles.get(r['check_id'], r['check_id'])}（{r['check_id']}：{r['error']}）" for r in failed))
    # Over a failed run every other check is skipped for the one reason the health line gives.
    others = [r for r in unfinished if r["status"] != "failed"] if store.health(run_id)[0] != "failed" else []
    if others:
        lines.append("  未完整执行的检查：" + "；".join(
            f"{titles.get(r['check_id'], r['check_id'])}（{'跳过' if r['status'] == 'skipped' else '部分'}：{r['error']}）"
            for r in others))
    cases = summary.veto(store, run_id)
    if cases:
        lines.append(veto_line(cases))
    return lines


def print_summary(store: Store, run_id: int, result: PassResult | None = None) -> None:
    run = store.run(run_id)
    figures = run_figures(store, run_id)
    kinds = figures["kinds"]
    dated = f"{figures['dated_items'] / figures['items']:.1%}" if figures["items"] else "-"
    caps = json.loads(run["caps"] or "{}")
    lines = [
        health_line(store, run_id),
        f"{run['site_name']}  第 {run_id} 次检查（{MODE_ZH.get(run['mode'], run['mode'])}），检查基准日 {run['as_of']}",
        f"  页面 {run['pages']}：" + "，".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        + f"；失败 {figures['failed_pages']}；请求 {run['requests']} 次，{run['bytes'] / 1e6:.1f} MB",
        f"  栏目 {figures['columns']}（空白 {figures['empty_columns']}），条目 {figures['items']}"
        f"（{dated} 有日期），链接 {figures['links']}",
        "  抓取上限：" + ("；".join(f"{name}：{'、'.join(places[:3])}" for name, places in caps.items())
                         if caps else "未达到"),
    ]
    if figures["offline_targets"]:
        lines.append(f"  本机无法访问外网：{figures['offline_targets']} 个站外链接未核验（不计为问题）")
    click.echo("\n".join(lines + findings_lines(store, run_id, result)))
