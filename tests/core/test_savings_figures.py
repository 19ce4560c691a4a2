"""Known answers for savings periods: financial years, totals over stated years, one council's share."""

import pytest

from matchmaker.core.savings_figures import (
    annual_equivalent,
    covered_years,
    describe,
    financial_year,
    format_gbp,
    parse_year,
    whole_arrangement_yearly,
    yearly_amount,
    yearly_figure,
)
from matchmaker.core.types import SavingsFigure
from tests.support import worlds


def cumulative(amount, years=None, start=None, end=None, reported=None, **extra):
    return SavingsFigure(
        amount,
        "achieved",
        "cumulative",
        reported_year=reported,
        period_start_year=start,
        period_end_year=end,
        period_years=years,
        **extra,
    )


def test_financial_years_count_from_their_first_calendar_year():
    assert financial_year(2015) == "2015/16" and financial_year(2009) == "2009/10"
    assert financial_year(1999) == "1999/2000"
    assert parse_year("2015/16") == 2015 and parse_year("2015-16") == 2015 and parse_year("2015/2016") == 2015
    assert parse_year("1999/00") == 1999 and parse_year("2021") == 2021


@pytest.mark.parametrize("text", ["2015/17", "2015/2017", "15/16", "twenty", "2015/1"])
def test_a_year_that_is_not_one_financial_year_is_refused_with_the_reason(text):
    with pytest.raises(ValueError, match="financial year"):
        parse_year(text)


def test_over_ten_years_is_a_tenth_a_year_whatever_the_arrangement_has_run():
    # Adur and Worthing: £17m saved in the ten years since 2007, reported 2017; running since 2007.
    adur = cumulative(17_000_000, years=10, start=2007, end=2017, reported=2017, per_council=False)
    assert covered_years(adur) == 10 and yearly_amount(adur) == 1_700_000
    assert describe(adur) == "£17m over 2007–2017, about £1.7m a year"
    arrangement = worlds.arrangement("A", [0, 1], ("management",), 2007, savings=[adur])
    assert annual_equivalent(arrangement, 2026) == 1_700_000  # not £17m / 19 years


def test_a_total_over_whole_financial_years_reads_as_financial_years():
    orbis = cumulative(16_000_000, years=4, start=2015, end=2018, per_council=False)
    assert yearly_amount(orbis) == 4_000_000
    assert describe(orbis) == "£16m over 2015/16 to 2018/19, about £4m a year"


def test_a_total_with_years_but_no_dates_and_a_forecast_horizon():
    forecast = SavingsFigure(41_000_000, "expected", None, reported_year=2017, period_years=10, per_council=False)
    assert yearly_amount(forecast) == 4_100_000
    assert describe(forecast) == "£41m expected over 10 years (reported 2017), about £4.1m a year"
    assert describe(forecast, say_kind=False) == "£41m over 10 years (reported 2017), about £4.1m a year"
    contract = SavingsFigure(40_000_000, "expected", None, period_start_year=2016, period_years=9, per_council=False)
    assert describe(contract) == "£40m expected over 9 years from 2016, about £4.44m a year"


def test_yearly_figures_name_their_financial_year():
    lgss = SavingsFigure(
        3_790_000,
        "achieved",
        "annual",
        reported_year=2012,
        period_start_year=2011,
        period_end_year=2011,
        period_years=1,
        per_council=False,
    )
    assert yearly_amount(lgss) == 3_790_000 and describe(lgss) == "£3.79m a year in 2011/12"
    later = SavingsFigure(587_000, "expected", None, period_start_year=2012, period_years=1, per_council=False)
    assert describe(later) == "£587k a year expected from 2012/13"
    plain = SavingsFigure(1_300_000, "achieved", "annual", reported_year=2022, period_years=1, per_council=False)
    assert describe(plain) == "£1.3m a year (reported 2022)"


def test_a_figure_with_no_known_period_is_shown_as_stated_and_has_no_yearly_amount():
    oxford = cumulative(630_000, start=2018, end=2019, reported=2019, per_council=False)  # "six months"
    assert yearly_amount(oxford) is None
    assert describe(oxford) == "£630k in total over 2018–2019 (period not stated)"
    undated = cumulative(3_000_000, per_council=False, reported=2014)
    assert describe(undated) == "£3m in total (reported 2014) (period not stated)"
    # an 'annual' figure whose source leaves the period open is not a yearly figure either
    open_ended = SavingsFigure(200_000, "achieved", "annual", reported_year=2021, period_start_year=2021)
    assert yearly_amount(open_ended) is None
    arrangement = worlds.arrangement("B", [0, 1], ("management",), 2018, savings=[oxford, undated, open_ended])
    assert yearly_figure(arrangement) is None and annual_equivalent(arrangement) is None


def test_an_annual_figure_without_period_details_covers_one_year():
    assert yearly_amount(SavingsFigure(250_000, "achieved", "annual")) == 250_000
    assert describe(SavingsFigure(250_000, "achieved", "annual")) == "£250k a year"


def test_one_councils_share_is_that_councils_figure_never_the_arrangements():
    maidstone = SavingsFigure(1_000_000, "achieved", "annual", reported_year=2019, period_years=1, per_council=True)
    assert yearly_amount(maidstone) == 1_000_000
    assert whole_arrangement_yearly(maidstone) is None  # not scaled up to the members
    assert describe(maidstone) == "£1m a year (reported 2019); one member council's share only"
    arrangement = worlds.arrangement("M", [0, 1, 2], ("waste-environment",), 2013, savings=[maidstone])
    assert yearly_figure(arrangement) is None
    unclear = SavingsFigure(430_000, "achieved", "annual", reported_year=2022, period_years=1)
    assert describe(unclear).endswith("; the source does not say whether this is one council's share or all members'")


def test_forecasts_are_never_achieved_yearly_figures_and_later_reports_are_unseen():
    forecast = SavingsFigure(500_000, "expected", None, period_years=1, per_council=False)
    achieved = SavingsFigure(900_000, "achieved", "annual", reported_year=2018, period_years=1, per_council=False)
    arrangement = worlds.arrangement("F", [0, 1], ("ict-digital",), 2010, savings=[forecast, achieved])
    assert yearly_figure(arrangement).annual_gbp == 900_000
    assert yearly_figure(arrangement, kind="expected").annual_gbp == 500_000
    assert yearly_figure(arrangement, as_of=2017) is None  # reported in 2018


def test_money_in_three_significant_figures():
    assert [format_gbp(x) for x in (17e6, 1.7e6, 3.79e6, 4_444_444, 630_000, 85_000, 950, 223_750, 150e6)] == [
        "£17m",
        "£1.7m",
        "£3.79m",
        "£4.44m",
        "£630k",
        "£85k",
        "£950",
        "£224k",
        "£150m",
    ]


def test_a_figure_for_one_financial_year_names_it():
    assert describe(SavingsFigure(45_000, "achieved", "annual", financial_year=2024)) == "£45k a year in 2024/25"
    assert (
        describe(SavingsFigure(90_000, "achieved", "cumulative", financial_year=2024))
        == "£90k in total to 2024 (period not stated)"
    )
