import json
from pathlib import Path

from click.testing import CliRunner

from matchmaker.commands.engine import evaluate_command, recommend_command, train_command
from tests.support import worlds

REFERENCE = Path(__file__).resolve().parents[2] / "data"


def patch_loader(monkeypatch, dataset):
    monkeypatch.setattr("matchmaker.commands.engine._dataset", lambda data_dir: dataset)


def test_train_then_recommend_json(tmp_path, monkeypatch):
    patch_loader(monkeypatch, worlds.legal_world())
    path = tmp_path / "model.json"
    monkeypatch.setattr("matchmaker.commands.engine._model_path", lambda: str(path))
    result = CliRunner().invoke(train_command, ["--no-evaluate"])
    assert result.exit_code == 0, result.output
    assert path.exists()
    out = CliRunner().invoke(
        recommend_command,
        [worlds.code(14), "--service", "legal-democratic", "--top", "3", "--as-of", "2020", "--format", "json"],
    )
    body = json.loads(out.output)
    assert body["fallback"] is False and len(body["candidates"]) == 3


def test_batch_jsonl_in_input_order_and_bad_rows_name_row_and_column(tmp_path, monkeypatch):
    patch_loader(monkeypatch, worlds.legal_world())
    monkeypatch.setattr("matchmaker.commands.engine._model_path", lambda: str(tmp_path / "none.json"))
    queries = tmp_path / "q.csv"
    queries.write_text(
        f"council_code,service,as_of_year\n{worlds.code(3)},management,2020\n{worlds.code(14)},legal-democratic,\n"
    )
    out = CliRunner().invoke(recommend_command, ["--batch", str(queries), "--top", "2", "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    lines = [json.loads(line) for line in out.output.splitlines()]
    assert [r["council_code"] for r in lines] == [worlds.code(3), worlds.code(14)]
    assert set(lines[0]["candidates"][0]) == {"gss_code", "score"} and len(lines[0]["candidates"]) == 2
    queries.write_text("council_code,service\nT00000003,management\nT00000003,no-such-service\n")
    bad = CliRunner().invoke(recommend_command, ["--batch", str(queries), "--format", "jsonl"])
    assert bad.exit_code == 2 and "row 3, column service" in bad.output and "{" not in bad.output


def test_unknown_council_exits_2(monkeypatch, tmp_path):
    patch_loader(monkeypatch, worlds.legal_world())
    monkeypatch.setattr("matchmaker.commands.engine._model_path", lambda: str(tmp_path / "none.json"))
    out = CliRunner().invoke(recommend_command, ["NOPE", "--service", "management"])
    assert out.exit_code == 2 and "unknown organisation code 'NOPE'" in out.output


def test_evaluate_json_has_baselines(monkeypatch):
    patch_loader(monkeypatch, worlds.legal_world())
    out = CliRunner().invoke(evaluate_command, ["--format", "json", "--resamples", "100"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert {"nearest", "rule", "logistic", "boosted", "baseline"} <= set(report["overall"]["methods"])
    assert "logistic" in report["overall"]["versus_rule"]
    selection = report["selection"]
    assert selection["selected"] in ("listwise", "logistic", "boosted") and "boosting" in selection["reason"]


def test_data_dir_option_reads_reference_csv(tmp_path, monkeypatch):
    monkeypatch.setattr("matchmaker.commands.engine._model_path", lambda: str(tmp_path / "none.json"))
    out = CliRunner().invoke(
        recommend_command, ["E07000223", "--service", "legal-democratic", "--top", "3", "--data-dir", str(REFERENCE)]
    )
    assert out.exit_code == 0, out.output
    assert "E07000229" in out.output and "fallback" in out.output


def test_evaluate_table_prints_the_rule_and_the_hard_slice(monkeypatch):
    patch_loader(monkeypatch, worlds.legal_world())
    out = CliRunner().invoke(evaluate_command, ["--resamples", "100"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert any(line.startswith("rule ") for line in lines)
    assert "paired differences against rule:" in lines
    assert any(line.startswith("hard slice (no partner among the 5 nearest)") for line in lines)


def test_recommend_shows_existing_partners_and_fit_in_words(monkeypatch):
    shipped = str(REFERENCE.parent / "models" / "model.json")
    monkeypatch.setattr("matchmaker.commands.engine._model_path", lambda: shipped)
    args = ["E07000229", "--service", "revenues-benefits", "--top", "3", "--data-dir", str(REFERENCE)]
    table = CliRunner().invoke(recommend_command, args)
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[1] == "already sharing: E07000223  Adur District Council in Adur and Worthing Councils (since 2007)"
    assert lines[3].strip().startswith("In past years about ") and "100%" not in table.output
    body = json.loads(CliRunner().invoke(recommend_command, args + ["--format", "json"]).output)
    assert [p["gss_code"] for p in body["existing_partners"]] == ["E07000223"]
