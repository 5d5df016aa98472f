"""Triage as append-only events (who, when, what): a finding's triage state is derived from its events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from govinspect.store import Store, now_iso

# What a person can do to a finding; the first three change its status.
STATUS_ACTIONS = {"fixed": "fixed", "ignore": "ignored", "reopen": "open"}
ACTIONS = (*STATUS_ACTIONS, "assign", "deadline", "comment")
ACTION_ZH = {"fixed": "标记为已整改", "ignore": "忽略（误报）", "reopen": "重新打开", "assign": "指派",
             "deadline": "设定整改期限", "comment": "评论"}


class EventError(ValueError):
    """An event a person asked for that cannot be recorded: the message (Chinese, shown in the workspace) says why."""


@dataclass
class TriageState:
    """What a finding's events add up to: the last status a person set, the assignee, the deadline."""

    triage: str | None = None        # fixed, ignored, reopened, or None when nobody triaged it
    reason: str | None = None
    triaged_at: str | None = None
    assignee: str | None = None
    deadline: str | None = None
    comments: int = 0


def derive(events: Iterable[dict]) -> TriageState:
    """Fold events, oldest first, into the state they leave."""
    state = TriageState()
    for event in events:
        action = event["action"]
        if action in STATUS_ACTIONS:
            state.triage = "reopened" if action == "reopen" else STATUS_ACTIONS[action]
            state.reason, state.triaged_at = event["reason"], event["at"]
        elif action == "assign":
            state.assignee = event["assignee"] or None
        elif action == "deadline":
            state.deadline = event["deadline"] or None
        elif action == "comment":
            state.comments += 1
    return state


def history(store: Store, finding_id: str) -> list[dict]:
    return list(store.db.query("select * from finding_events where finding_id = ? order by id", [finding_id]))


def _validated(action: str, reason: str | None, assignee: str | None, deadline: str | None,
               comment: str | None) -> dict:
    if action not in ACTIONS:
        raise EventError(f"未知的操作 {action!r}（可用：{'、'.join(ACTIONS)}）")
    reason, assignee, comment = (v.strip() if v else None for v in (reason, assignee, comment))
    if action == "assign" and not assignee:
        raise EventError("指派需要填写责任人")
    if action == "comment" and not comment:
        raise EventError("评论内容为空")
    if action == "deadline":
        try:
            deadline = date.fromisoformat((deadline or "").strip()).isoformat()
        except ValueError:
            raise EventError(f"整改期限不是有效日期（年-月-日）：{deadline!r}") from None
    else:
        deadline = None
    return {"reason": reason, "assignee": assignee if action == "assign" else None, "deadline": deadline,
            "comment": comment if action == "comment" else None}


def record(store: Store, finding_ids: Iterable[str], action: str, *, actor: str, source: str,
           reason: str | None = None, assignee: str | None = None, deadline: str | None = None,
           comment: str | None = None) -> list[dict]:
    """Append one event per finding and bring its status columns in line with its events, in one transaction."""
    fields = _validated(action, reason, assignee, deadline, comment)
    db, at, ids = store.db, now_iso(), list(dict.fromkeys(finding_ids))
    with db.atomic():
        for fid in ids:
            finding = db["findings"].get(fid)
            db["finding_events"].insert({"finding_id": fid, "at": at, "actor": actor, "source": source,
                                         "action": action, **fields})
            if action in STATUS_ACTIONS:
                _apply_status(store, finding, derive(history(store, fid)), action)
    return [db["findings"].get(fid) for fid in ids]


def _apply_status(store: Store, finding: dict, state: TriageState, action: str) -> None:
    """The findings row that every report reads, as the events now say."""
    update = {"status": STATUS_ACTIONS[action], "triage": state.triage, "triage_reason": state.reason,
              "triaged_at": state.triaged_at, "fixed_run": None}
    if action == "fixed":
        # Fixed after the latest crawl of the site: only a later crawl can tell it is back.
        update["fixed_run"] = store.db.execute("select max(id) from runs where site_id = ?",
                                               [finding["site_id"]]).fetchone()[0]
    store.db["findings"].update(finding["id"], update)
