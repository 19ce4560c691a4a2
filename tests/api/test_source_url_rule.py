"""source_url: the documented pattern is the import rule together with the input gate, which
refuses control characters other than tab and line breaks in any submitted text."""

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.api.schemas.submissions import SOURCE_URL_PATTERN, STRIPPED
from matchmaker.ingest.csvfile import Row
from matchmaker.ingest.fields import RowChecker
from matchmaker.input_gate import TEXT_CONTROL
from tests.support.keys import user_headers
from tests.support.pages import OFFICER

BLANKS = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


def import_rule_accepts(submitted: str) -> bool:
    """What the importer says of a submitted value (submissions are stripped first)."""
    problems = []
    RowChecker("submission", Row(2, {"source_url": submitted.strip()}), problems).url("source_url")
    return not problems


def test_the_stripped_characters_are_exactly_pythons_blanks():
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if re.fullmatch(f"[{STRIPPED}]", c)] == (BLANKS)


pieces = st.one_of(
    st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "http:/", "https:", "x", "/"]),
    st.sampled_from(BLANKS + ["\x00", "\x01", "\ufeff", "\u200b"]),
    st.text(max_size=5),
)


@settings(max_examples=400, database=None, derandomize=True)
@given(st.lists(pieces, max_size=6).map("".join))
def test_the_documented_pattern_agrees_with_the_import_rule(value):
    accepted = import_rule_accepts(value) and not TEXT_CONTROL.search(value)
    assert bool(re.match(SOURCE_URL_PATTERN, value)) == accepted


@pytest.fixture
def officer(app):
    return user_headers(app, OFFICER, ["requests:write"], owner="officer tool")


@pytest.mark.parametrize(
    "source_url, accepted",
    [
        ("https://www.adur-worthing.gov.uk/", True),
        ("http://", True),  # the import takes it: a scheme and nothing else is still a web address
        ("  https://example.org/legal  ", True),
        ("", True),  # no source
        ("   ", True),
        ("ftp://example.org/", False),
        ("www.example.org", False),
        ("\x01https://example.org", False),
    ],
)
def test_a_submission_is_accepted_exactly_when_the_pattern_says(client, officer, source_url, accepted):
    assert bool(re.match(SOURCE_URL_PATTERN, source_url)) is accepted
    response = client.post(
        "/api/v1/submissions/new-arrangements",
        json={
            "name": "Adur and Worthing legal",
            "council_codes": ["E07000223", "E07000229"],
            "service_areas": ["legal-democratic"],
            "status": "operational",
            "source_url": source_url,
        },
        headers=officer,
    )
    if accepted:
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["payload"]["row"]["source_url"] == source_url.strip()
    else:
        assert response.status_code == 422
        assert response.get_json()["invalid_params"][0]["name"] == "source_url"


def test_the_openapi_document_carries_the_same_pattern(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = spec["components"]["schemas"]["NewArrangement"]["properties"]["source_url"]
    assert documented["pattern"] == SOURCE_URL_PATTERN
