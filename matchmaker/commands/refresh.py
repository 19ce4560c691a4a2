"""`matchmaker reorganise [--apply]` and `matchmaker quality [--format table|json]`."""

from __future__ import annotations

import json
from datetime import date

import click

from matchmaker.flask_database import get_database
from matchmaker.services import quality, reorganise

ACTOR = "command:reorganise"


@click.command(
    "reorganise",
    help="Show live arrangements with abolished members; --apply moves "
    "their memberships to the successors (with history and an audit event).",
)
@click.option("--apply", "do_apply", is_flag=True, help="Move the memberships (otherwise only show).")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Judge abolitions as of this date (default: today).",
)
def reorganise_command(do_apply: bool, as_of) -> None:
    today = as_of.date() if as_of else date.today()
    if do_apply:
        with get_database().transaction() as session:
            moves = reorganise.apply_plan(session, ACTOR, today)
            _print_moves(moves)
        click.echo(f"Moved memberships in {len(moves)} arrangement(s).")
        return
    with get_database().session() as session:
        moves = reorganise.plan(session, today)
        _print_moves(moves)
    click.echo(f"{len(moves)} arrangement(s) affected. Run with --apply to move the memberships.")


def _print_moves(moves: list[reorganise.Move]) -> None:
    for move in moves:
        click.echo(f"{move.arrangement.public_id} {move.arrangement.name} ({move.arrangement.status})")
        for replacement in move.replacements:
            successors = ", ".join(f"{s.gss_code} {s.display_name}" for s in replacement.successors)
            click.echo(
                f"  {replacement.abolished.gss_code} {replacement.abolished.display_name} "
                f"(ended {replacement.abolished.end_date}) -> {successors}"
            )


@click.command(
    "quality",
    help="Data quality report: missing savings and sources, one-member "
    "arrangements, abolished members still live, councils with no arrangement.",
)
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
def quality_command(output: str, as_of) -> None:
    with get_database().session() as session:
        found = quality.report(session, as_of.date() if as_of else None)
    if output == "json":
        click.echo(json.dumps(found, indent=2))
        return
    click.echo(f"Data quality as of {found['as_of']} ({found['arrangements']} arrangements)")
    width = max(len(check["title"]) for check in found["checks"])
    for check in found["checks"]:
        sample = ", ".join(item["id"] for item in check["items"][:8])
        more = " ..." if check["count"] > 8 else ""
        click.echo(f"{check['title']:<{width}}  {check['count']:>4}  {sample}{more}")


COMMANDS = [reorganise_command, quality_command]
