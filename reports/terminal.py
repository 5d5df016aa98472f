"""Findings in the terminal as rich tables: `govinspect findings`, and the changes `report --since` lists."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from checks.registry import load_registry
from checks.textutil import mask_numbers
from reports.rows import CHANGE_ZH, SEVERITY_ZH, STATUS_ZH

STYLE = {"critical": "bold red", "major": "yellow", "minor": "cyan", "info": "dim"}
PIPED_WIDTH = 200  # piped into a file or grep: one finding a line where it fits, not rich's 80 columns


def console() -> Console:
    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=PIPED_WIDTH)
    return out


def findings_table(rows: list[dict], title: str | None = None) -> Table:
    registry = load_registry()
    table = Table(title=title, show_lines=False, header_style="bold", expand=False)
    for name, options in (("ID", {"no_wrap": True}), ("严重程度", {"no_wrap": True}), ("状态", {"no_wrap": True}),
                          ("检查项", {}), ("问题类别", {}), ("栏目", {}), ("问题页面/链接", {"overflow": "fold"}),
                          ("问题描述", {"ratio": 1, "overflow": "fold"})):
        table.add_column(name, **options)
    for row in rows:
        cls = registry.checks.get(row["check_id"])
        severity = row["severity"]
        table.add_row(row["id"][:12], f"[{STYLE.get(severity, '')}]{SEVERITY_ZH.get(severity, severity)}[/]",
                      STATUS_ZH.get(row["status"], row["status"]),
                      f"{cls.title if cls else row['title'] or ''}\n[dim]{row['check_id']}[/]",
                      cls.indicator if cls else row["check_id"].split(".")[0], _plain(row.get("column_name") or ""),
                      _plain(row["subject"]), _plain(mask_numbers(row.get("message") or "")))
    return table


def _plain(text: str) -> str:
    """Crawled text printed as it is: a page's [brackets] are not rich markup."""
    from rich.markup import escape

    return escape(text)


def print_findings(rows: list[dict]) -> None:
    out = console()
    out.print(findings_table(rows))
    counts = {s: sum(1 for r in rows if r["severity"] == s) for s in SEVERITY_ZH}
    out.print(f"{len(rows)} 条：" + "，".join(f"{SEVERITY_ZH[s]} {n}" for s, n in counts.items() if n))


def print_changes(store, changes) -> None:
    """The findings new since run `changes.since`, fixed since and still open, one table each."""
    out = console()
    by_id = {row["id"]: row for row in store.findings()}
    out.print(f"第 {changes.run} 次检查与第 {changes.since} 次相比：新发现 {len(changes.new)}，"
              f"已整改 {len(changes.fixed)}，仍未整改 {len(changes.still_open)}")
    for kind, ids in (("new", changes.new), ("fixed", changes.fixed), ("open", changes.still_open)):
        if ids:
            out.print(findings_table([by_id[i] for i in ids if i in by_id], title=f"{CHANGE_ZH[kind]}（{len(ids)}）"))
