from datetime import date

import pytest

from matchmaker.core.savings_proposal import ProposalRefused, check_proposal, proposal_problems
from tests.support import worlds

TODAY = date(2026, 11, 30)


def reasons(codes, service="legal-democratic"):
    return {p.field: p.reason for p in proposal_problems(worlds.abolished_world(), codes, service, TODAY)}


def test_two_different_current_councils_pass():
    assert reasons([worlds.code(14), worlds.code(15)]) == {}
    check_proposal(worlds.abolished_world(), [worlds.code(14), worlds.code(15)], "legal-democratic", TODAY)


def test_one_council_or_the_same_twice_is_not_sharing():
    assert reasons([worlds.code(14)]) == {
        "council_codes": "sharing needs at least two different current councils; this proposal has 1"
    }
    twice = reasons([worlds.code(14), worlds.code(14)])
    assert twice["council_codes[1]"] == "Test District 14 (T00000014) is listed twice (first as council_codes[0])"


def test_an_abolished_council_names_its_successor_and_the_date():
    found = reasons([worlds.code(16), worlds.code(14), worlds.code(15)])
    assert found == {
        "council_codes[0]": "Test District 16 (T00000016) was abolished on 31 March 2015; "
        "its successor is Test District 17 (T00000017)"
    }


def test_unknown_service_and_unknown_code_are_named():
    found = reasons([worlds.code(14), "T99999999"], service="legal")
    assert found["service"].startswith("unknown service 'legal'; expected one of management, ict-digital")
    assert found["council_codes[1]"] == "there is no organisation T99999999"
    with pytest.raises(ProposalRefused) as refused:
        check_proposal(worlds.abolished_world(), [worlds.code(14), "T99999999"], "legal", TODAY)
    assert any(p.unknown for p in refused.value.problems)
