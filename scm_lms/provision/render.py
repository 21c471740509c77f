"""Showing plans and apply results to the admin (German), as rich tables or as JSON for scripts."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from scm_lms.provision.actions import AREA_DE, AREAS, OP_DE, OPS, Plan
from scm_lms.provision.apply import Report

SIGN = {"create": "+", "update": "~", "prune": "-", "delete": "x", "keep": "=", "leave": "·", "blocked": "!"}
STATUS_DE = {"ok": "erledigt", "failed": "fehlgeschlagen", "skipped": "übersprungen"}


def plan_data(plan: Plan) -> dict[str, Any]:
    counts = plan.counts()
    return {
        "durchgang": plan.desired.durchgang,
        "site": plan.current.site,
        "prune": plan.prune,
        "counts": {area: {op: counts[area][op] for op in OPS} for area in AREAS},
        "pending": len(plan.pending),
        "problems": list(plan.problems),
        "notes": list(plan.notes),
        "actions": [
            {
                "area": a.area,
                "op": a.op,
                "key": a.key,
                "label": a.label,
                "reason": a.reason,
                "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in a.changes],
            }
            for a in plan.actions
        ],
    }


def show_plan(console: Console, plan: Plan, verbose: bool) -> None:
    site = plan.current.site or "keine Website konfiguriert – geplant gegen eine leere Website"
    console.print(f"Plan für Durchgang {plan.desired.durchgang} ({site})")
    counts = plan.counts()
    table = Table()
    table.add_column("Bereich")
    for op in OPS:
        table.add_column(OP_DE[op], justify="right")
    for area in AREAS:
        table.add_row(AREA_DE[area], *(str(counts[area][op] or "") for op in OPS))
    console.print(table)
    if verbose:
        for action in plan.actions:
            console.print(f"  {SIGN[action.op]} {AREA_DE[action.area]}: {action.label} – {action.reason}")
            for change in action.changes:
                console.print(f"      {change.field}: {change.old or '–'} → {change.new}")
    for problem in plan.problems:
        console.print(f"[red]Problem:[/] {problem}")
    for note in plan.notes:
        console.print(f"Hinweis: {note}")
    if plan.empty:
        console.print("Nichts zu tun: Moodle entspricht dem Soll.")
    else:
        console.print(f"{len(plan.pending)} Änderungen stehen an.")


def show_report(console: Console, report: Report, durchgang: str) -> None:
    done = sum(1 for result in report.results if result.status == "ok")
    console.print(f"{done} Änderungen erledigt, {len(report.failed)} nicht (Lauf {report.run}).")
    if not report.failed:
        return
    console.print("[red]Nicht erledigt:[/]")
    for result in report.failed:
        action = result.action
        console.print(
            f"  {AREA_DE[action.area]} {action.label} ({OP_DE[action.op]}): {STATUS_DE[result.status]} – "
            f"{result.detail}"
        )
    console.print(
        f"Ursache beheben und „scm-lms lms apply {durchgang}“ erneut ausführen; "
        "bereits Erledigtes wird dabei nicht doppelt angelegt."
    )
