"""The browsable HTML report: one self-contained file (summary, trend chart, filterable findings), every text escaped."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from govinspect.progress import progress
from reports.cells import web_link
from reports.rows import RUN_STATUS_ZH, SEVERITY_ORDER, SEVERITY_ZH, STATE_ZH, STATUS_ZH, UNFINISHED_ZH, Rectification

TEMPLATES = Path(__file__).resolve().parent / "templates"
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f",
           "#bcbd22", "#393b79", "#637939"]
CHART = {"width": 760, "height": 260, "left": 44, "right": 170, "top": 16, "bottom": 36}


def _environment() -> Environment:
    # Autoescape on for every template: page titles, messages and evidence are the crawled site's text.
    # The folder beside this file, not PackageLoader("reports"): run as `python -m govinspect` in a folder that
    # holds a reports/ output folder, the name `reports` resolves to that folder as a namespace package.
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["link"] = web_link
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    return env


def trend_chart(trend: list[dict]) -> dict:
    """Polylines (one per category) of open findings over the runs, in SVG user units."""
    c = CHART
    categories = sorted({name for point in trend for name in point["counts"]})
    peak = max([n for point in trend for n in point["counts"].values()] + [1])
    plot_w, plot_h = c["width"] - c["left"] - c["right"], c["height"] - c["top"] - c["bottom"]
    step = plot_w / max(len(trend) - 1, 1)

    def x(i: int) -> float:
        return round(c["left"] + (i * step if len(trend) > 1 else plot_w / 2), 1)

    def y(n: int) -> float:
        return round(c["top"] + plot_h - n / peak * plot_h, 1)

    lines = []
    for index, name in enumerate(categories):
        points = [(x(i), y(point["counts"].get(name, 0)), point["counts"].get(name, 0))
                  for i, point in enumerate(trend)]
        lines.append({"name": name, "color": PALETTE[index % len(PALETTE)], "points": points,
                      "path": " ".join(f"{px},{py}" for px, py, _ in points),
                      "legend_y": c["top"] + 14 + index * 16})
    ticks = sorted({0, peak, peak // 2})
    labels = [(x(i), f"第{p['run']}次", p["day"][5:]) for i, p in enumerate(trend)]
    every = max(1, len(labels) // 12)  # at most a dozen labels under the axis
    return {**c, "lines": lines, "labels": labels[::every], "ticks": [(y(t), t) for t in ticks],
            "axis_y": c["top"] + plot_h, "axis_x2": c["left"] + plot_w, "legend_x": c["left"] + plot_w + 16}


def _choices(report: Rectification) -> dict:
    rows = report.rows
    return {
        "category": sorted({r.category for r in rows}),
        "severity": [(s, SEVERITY_ZH[s]) for s in SEVERITY_ORDER if any(r.severity == s for r in rows)],
        "status": [(s, label) for s, label in STATUS_ZH.items() if any(r.status == s for r in rows)],
        "column": sorted({r.column for r in rows if r.column}),
    }


def write_html(report: Rectification, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    template = _environment().get_template("report.html.j2")
    open_rows = [r for r in report.rows if r.status == "open"]
    context = {
        "report": report, "rows": report.rows, "choices": _choices(report), "chart": trend_chart(report.trend),
        "nonce": secrets.token_urlsafe(18), "severity_zh": SEVERITY_ZH, "status_zh": STATUS_ZH,
        "run_status": RUN_STATUS_ZH.get(report.run["status"], report.run["status"]),
        "severities": [s for s in SEVERITY_ORDER if s != "info" or report.include_info],
        "open_count": len(open_rows), "critical_open": sum(1 for r in open_rows if r.severity == "critical"),
        "vetoed": [c["indicator"] for c in report.veto if c["state"] == "triggered"],
        "state_zh": STATE_ZH, "unfinished_zh": UNFINISHED_ZH,
    }
    with path.open("w", encoding="utf-8") as out, \
            progress(f"html {path.name}", len(report.rows), unit="findings") as advance:
        # Streamed: the findings table of a large site is rendered and written a row at a time.
        for chunk in template.generate(**context, advance=advance):
            out.write(chunk)
    return path
