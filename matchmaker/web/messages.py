"""Form errors in GOV.UK's words: say what to do, name the thing, give an example.

The checks behind the forms are shared with the API and the importers, whose messages name
columns and values for people fixing files. On a page, a generic problem with a field ("is
required", "not an amount in pounds: 'lots'", "unknown service ''") becomes that field's
sentence below; a specific one ("Worthing no longer exists") is kept, with a capital letter.
"""

from __future__ import annotations

import re

FIELD_MESSAGES = {
    "savings_gbp": "Enter the savings in pounds, like 250000",
    "amount_gbp": "Enter the savings in pounds, like 250000",
    "savings_kind": "Choose what the savings figure is: a year's savings, the total so far, or expected",
    "kind": "Choose what the figure is",
    "financial_year": "Enter the year the financial year starts, like 2024",
    "service_areas": "Choose at least one service",
    "service": "Choose the service",
    "council_codes": "Choose the councils taking part",
    "organisation": "Choose the council asking for partners",
    "arrangement": "Choose the arrangement to enlarge",
    "arrangement_id": "Choose the arrangement from the list, or leave it empty",
    "name": "Enter the arrangement's name",
    "start_year": "Enter the year it started, like 2019",
    "end_year": "Enter the year it ended, like 2023",
    "status": "Choose whether it is operational, in development or ended",
    "source_url": "Enter the web address of the source, starting with https://",
    "email": "Enter an email address in the correct format, like name@example.org",
    "message": "Enter your message",
    "description": "Describe what the council is looking for",
    "urgency": "Choose how urgent the request is",
    "max_distance_miles": "Enter the greatest distance in miles, like 25",
    "partner_codes": "Choose the partner councils",
}
GENERIC = re.compile(
    r"is required|not an amount|amount out of range|unknown |not a number|out of range|"
    r"must be one of|give the|bad |not an email|must be at least|no arrangement|not a year",
    re.IGNORECASE,
)


def plain(field: str, message: str) -> str:
    if field in FIELD_MESSAGES and GENERIC.search(message):
        return FIELD_MESSAGES[field]
    return message[:1].upper() + message[1:]


def plain_errors(errors: dict[str, str]) -> dict[str, str]:
    return {field: plain(field, message) for field, message in errors.items()}
