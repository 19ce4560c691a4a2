from tests.databases import DATA_DIR


def test_load_bad_file_exits_2_naming_row_and_column(runner, tmp_path):
    path = tmp_path / "bad.csv"
    header = (DATA_DIR / "arrangements.csv").read_text().splitlines()[0]
    path.write_text(header + "\nX1,Name,E07000223,,waste,2020,,operational,,,,,\n")
    result = runner.invoke(["load", "arrangements", str(path)])
    assert result.exit_code == 2
    assert "bad.csv, row 2, column service_areas: unknown service slug 'waste'" in result.output
    assert "nothing was written" in result.output


def test_load_and_export_commands(runner, tmp_path):
    result = runner.invoke(["load", "arrangements", str(DATA_DIR / "arrangements.csv")])
    assert result.exit_code == 0, result.output
    assert "Loaded 67 arrangements" in result.output
    out = tmp_path / "out.csv"
    result = runner.invoke(["export", "arrangements", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 68


def test_missing_file_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(["load", "councils", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "nope.csv: cannot read file" in result.output
