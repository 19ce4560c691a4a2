"""`matchmaker train`, `recommend` and `evaluate`: the recommendation engine on the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import click

from matchmaker.commands.errors import fail
from matchmaker.core.artefact import write_artefact
from matchmaker.core.evaluation import backtest
from matchmaker.core.recommend import QueryError
from matchmaker.core.train import COMPARED, MODEL_FACTORIES, choose_kind, train_artefact
from matchmaker.core.types import Dataset
from matchmaker.db.repositories import changes
from matchmaker.services import model_versions
from matchmaker.services import recommendations as service
from matchmaker.services.cache import AppCache  # one per command: nothing outlives it

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    hidden=True,
    help="Read CSV files in the reference format instead of the database.",
)


def _dataset(data_dir: Path | None) -> Dataset:
    if data_dir is not None:
        from matchmaker.core.csv_dataset import load_directory

        try:
            return load_directory(data_dir)
        except (OSError, KeyError, ValueError) as exc:
            fail(f"{data_dir}: cannot read the data ({exc})")
    from matchmaker.db.snapshot import load_dataset
    from matchmaker.flask_database import get_session

    return load_dataset(get_session())


def _model_path() -> str:
    try:
        from flask import current_app

        return str(current_app.config.get("MODEL_PATH") or service.DEFAULT_MODEL_PATH)
    except RuntimeError:
        return service.DEFAULT_MODEL_PATH


def _data_version() -> int | None:
    """None outside the application (no database to read the change log from)."""
    from flask import has_app_context

    if not has_app_context():
        return None
    from matchmaker.flask_database import get_session

    return changes.data_version(get_session())


def _record_activation(artefact: dict) -> None:
    from matchmaker.flask_database import get_database

    with get_database().transaction() as session:
        model_versions.record_activation(session, artefact)


@click.command("train", help="Fit the model on the data held, write the artefact and make it active.")
@click.option("--output", type=click.Path(path_type=Path), help="Where to write the artefact (default: MODEL_PATH).")
@click.option(
    "--model",
    "kind",
    type=click.Choice(["auto", *sorted(MODEL_FACTORIES)]),
    default="auto",
    show_default=True,
    help="auto: the rule-anchored ranking model, logistic or boosting, as the back-test says.",
)
@click.option("--no-evaluate", is_flag=True, help="Skip the back-test metrics stored in the artefact.")
@data_dir_option
def train_command(output: Path | None, kind: str, no_evaluate: bool, data_dir: Path | None) -> None:
    data_version = _data_version() if data_dir is None else None
    dataset = _dataset(data_dir)
    try:
        artefact = train_artefact(dataset, kind, evaluate=not no_evaluate)
    except ValueError as exc:
        fail(str(exc))
    if data_version is not None:
        model_versions.stamp(artefact, data_version)
    target = output or Path(_model_path())
    write_artefact(target, artefact)
    if data_version is not None and output is None:
        _record_activation(artefact)
    info = artefact["training"]
    click.echo(
        f"Trained {artefact['model']['kind']} model on {info['queries']} queries ({info['positives']} "
        f"positive pairs) in {info['seconds']} s; written to {target}"
    )
    metrics = artefact["metrics"]
    if metrics.get("selection"):
        click.echo(f"  {metrics['selection']}")
    for name, m in (metrics.get("backtest") or {}).get("methods", {}).items():
        if name in ("listwise", "logistic", "boosted", "baseline", "rule", "nearest"):
            click.echo(f"  back-test {name:9s} Recall@10 {m['recall_at_k']['mean']:.3f}  MRR {m['mrr']['mean']:.3f}")


def _read_queries(path: Path) -> list[tuple[int, str, str, int | None]]:
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = {"council_code", "service"} - set(reader.fieldnames or [])
            if missing:
                fail(f"{path}, row 1 (header): missing column(s) {', '.join(sorted(missing))}")
            rows = []
            for number, row in enumerate(reader, start=2):
                year = (row.get("as_of_year") or "").strip()
                if year and not year.isdigit():
                    fail(f"{path}, row {number}, column as_of_year: {year!r} is not a year")
                rows.append(
                    (
                        number,
                        (row["council_code"] or "").strip(),
                        (row["service"] or "").strip(),
                        int(year) if year else None,
                    )
                )
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        fail(f"{path}: cannot be read ({exc})")
    return []


def _batch(dataset: Dataset, path: Path, top: int, model_path: str) -> None:
    engine = service.prepare(AppCache(), dataset, model_path).engine
    lines = []
    for number, code, slug, year in _read_queries(path):
        try:
            engine.check_service(slug)
        except QueryError as exc:
            fail(f"{path}, row {number}, column service: {exc}")
        try:
            found = engine.top_codes(code, slug, top=top, as_of=year)
        except QueryError as exc:
            fail(f"{path}, row {number}, column council_code: {exc}")
        lines.append(
            json.dumps(
                {
                    "council_code": code,
                    "service": slug,
                    "as_of_year": year,
                    "candidates": [{"gss_code": c, "score": s} for c, s in found],
                }
            )
        )
    click.echo("\n".join(lines))


def _table(result: dict) -> None:
    click.echo(
        f"{result['council_code']} / {result['service']} as of {result['as_of_year']}"
        + (f"  [fallback: {result['fallback_reason']}]" if result["fallback"] else "")
    )
    for partner in result.get("existing_partners", []):
        through = ", ".join(
            a["name"] + (f" (since {a['start_year']})" if a["start_year"] else "") for a in partner["arrangements"]
        )
        click.echo(f"already sharing: {partner['gss_code']}  {partner['name']} in {through}")
    for c in result["candidates"]:
        reason = c["reasons"][0]["text"] if c["reasons"] else ""
        click.echo(
            f"{c['rank']:>3}  {c['gss_code']}  {c['name'][:38]:38s} {c['score']:.4f} "
            f"{c['distance_km']:>6.1f} km  {reason}"
        )
        click.echo(f"     {c['fit']}")


@click.command("recommend", help="Ranked partner suggestions for a council and a service (or a batch file).")
@click.argument("code", required=False)
@click.option("--service", "slug", help="Service slug, e.g. legal-democratic.")
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--as-of", "as_of", type=click.IntRange(1900, 2200), help="Rank as the system would have that year.")
@click.option("--batch", type=click.Path(path_type=Path), help="QUERIES.csv: council_code,service[,as_of_year].")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]), default="table", show_default=True)
@data_dir_option
def recommend_command(code, slug, top, as_of, batch, fmt, data_dir) -> None:
    if batch is not None:
        if code or slug or as_of:
            fail("--batch takes no CODE, --service or --as-of (they come from the file)")
        if fmt != "jsonl":
            fail("--batch writes one JSON object per line: use --format jsonl")
        return _batch(_dataset(data_dir), batch, top, _model_path())
    if not code or not slug:
        fail("give a council CODE and --service SLUG, or --batch QUERIES.csv")
    if fmt == "jsonl":
        fail("--format jsonl is for --batch; use table or json")
    try:
        result = service.recommend(
            AppCache(), _dataset(data_dir), code, slug, top=top, as_of_year=as_of, model_path=_model_path()
        )
    except QueryError as exc:
        fail(str(exc))
    click.echo(json.dumps(result, indent=1)) if fmt == "json" else _table(result)


@click.command("evaluate", help="Temporal back-test of the model against the baselines, with bootstrap intervals.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--resamples", type=click.IntRange(100, 100000), default=1000, show_default=True)
@data_dir_option
def evaluate_command(fmt: str, resamples: int, data_dir: Path | None) -> None:
    report = backtest(_dataset(data_dir), COMPARED, n_boot=resamples)
    report["selection"] = dict(zip(("selected", "reason"), choose_kind(report)))
    if fmt == "json":
        click.echo(json.dumps(report, indent=1))
        return
    overall = report["overall"]
    click.echo(f"{overall['queries']} queries, test years {report['test_years']}, 95% bootstrap intervals")
    for name, m in overall["methods"].items():
        click.echo(
            f"{name:28s} " + "  ".join(f"{k} {v['mean']:.3f} [{v['low']:.3f}, {v['high']:.3f}]" for k, v in m.items())
        )
    for reference in ("nearest", "rule", "logistic"):
        _print_differences(f"paired differences against {reference}:", overall.get("versus_" + reference, {}))
    hard = report["slices"]["hard"]
    click.echo(f"hard slice (no partner among the 5 nearest), {hard['queries']} queries:")
    for name in ("listwise", "logistic", "rule", "nearest"):
        if name in hard.get("methods", {}):
            m = hard["methods"][name]
            click.echo(
                f"  {name:26s} "
                + "  ".join(f"{k} {v['mean']:.3f} [{v['low']:.3f}, {v['high']:.3f}]" for k, v in m.items())
            )
    _print_differences(
        "  paired differences against rule on the hard slice:",
        {k: v for k, v in hard.get("versus_rule", {}).items() if k in MODEL_FACTORIES},
    )
    click.echo(report["selection"]["reason"])


def _print_differences(title: str, differences: dict) -> None:
    click.echo(title)
    for name, m in differences.items():
        click.echo(
            f"  {name:26s} "
            + "  ".join(f"{k} {v['mean']:+.3f} [{v['low']:+.3f}, {v['high']:+.3f}]" for k, v in m.items())
        )


COMMANDS = [train_command, recommend_command, evaluate_command]
