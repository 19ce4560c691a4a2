from dataclasses import replace

from matchmaker.core.savings_evaluation import evaluate, markdown
from tests.support.worlds import sized_world


def real(dataset):
    """The evaluation reads real (not synthetic) evidence: the same world marked real."""
    return replace(
        dataset,
        arrangements=tuple(replace(a, synthetic=False) for a in dataset.arrangements),
        organisations=tuple(replace(o, synthetic=False) for o in dataset.organisations),
    )


def test_the_estimate_is_scored_against_the_constant_and_the_rule_before():
    result = evaluate(real(sized_world(count=8)))
    rows = {r["method"]: r for r in result["rows"]}
    in_use = rows["Service, then group, then published; size-scaled (in use)"]
    constant = rows["Constant: median of the other achieved yearly figures"]
    assert result["held_out"] == 8 and in_use["held_out"] == 8
    assert in_use["median_abs_log_error"] == 0 and constant["median_abs_log_error"] > 0
    assert result["in_use_beats_constant"] and result["slope"] == 0.5
    assert in_use["inside_interval"] == 8 and in_use["interval_level"] == 0.8
    assert constant["inside_interval"] is None
    table = markdown(result)
    assert table.splitlines()[0].startswith("| method | held out | median abs. log error")
    assert "8/8 inside its stated 80%" in table
