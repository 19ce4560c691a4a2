from sqlalchemy import text

from matchmaker.flask_database import get_database
from tests.support.databases import DATA_DIR


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
    assert "Loaded 161 arrangements" in result.output
    out = tmp_path / "out.csv"
    result = runner.invoke(["export", "arrangements", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 162


def test_missing_file_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(["load", "councils", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "nope.csv: cannot read file" in result.output


def _planner_has_statistics(app, table: str) -> bool:
    engine = get_database(app).engine
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            return connection.scalar(
                text("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = :t"),
                {"t": table},
            )
        has_stat_table = connection.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"))
        return bool(has_stat_table) and bool(
            connection.scalar(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = :t"), {"t": table})
        )


def test_a_load_leaves_the_query_planner_statistics_of_the_new_rows(empty_app):
    from matchmaker.cli import build_cli

    assert not _planner_has_statistics(empty_app, "arrangements")
    result = empty_app.test_cli_runner().invoke(build_cli(), ["load", "bundled"])
    assert result.exit_code == 0, result.output
    assert _planner_has_statistics(empty_app, "arrangements")
