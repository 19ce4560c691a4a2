"""Whether a proposal (councils that would share a service) can be estimated at all.

A proposal needs a known service and at least two distinct councils that exist today. Each
problem names the field at fault (``council_codes[2]``, ``service``) and says why in words a
person can act on: a council listed twice, a council abolished (naming its successors), a code
nobody holds. Nothing here estimates anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .types import Dataset, Organisation


@dataclass(frozen=True)
class ProposalProblem:
    field: str
    reason: str
    unknown: bool = False  # a code that names no organisation at all


class ProposalRefused(ValueError):
    def __init__(self, problems: list[ProposalProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.reason}" for p in problems))


def proposal_problems(
    dataset: Dataset, codes: list[str], service: str, today: date | None = None
) -> list[ProposalProblem]:
    today = today or date.today()
    organisations = {o.code: o for o in dataset.organisations}
    problems = _service_problems(dataset, service)
    first_seen: dict[str, int] = {}
    current: set[str] = set()
    for position, code in enumerate(codes):
        field = f"council_codes[{position}]"
        organisation = organisations.get(code)
        if organisation is None:
            problems.append(ProposalProblem(field, f"there is no organisation {code}", unknown=True))
        elif code in first_seen:
            problems.append(
                ProposalProblem(
                    field, f"{organisation.name} ({code}) is listed twice (first as council_codes[{first_seen[code]}])"
                )
            )
        elif not organisation.exists_on(today):
            problems.append(ProposalProblem(field, _abolished(organisation, organisations)))
        else:
            current.add(code)
        first_seen.setdefault(code, position)
    if len(current) < 2 and not any(p.unknown for p in problems):
        problems.append(
            ProposalProblem(
                "council_codes",
                f"sharing needs at least two different current councils; this proposal has {len(current)}",
            )
        )
    return problems


def check_proposal(dataset: Dataset, codes: list[str], service: str, today: date | None = None) -> None:
    problems = proposal_problems(dataset, codes, service, today)
    if problems:
        raise ProposalRefused(problems)


def _service_problems(dataset: Dataset, service: str) -> list[ProposalProblem]:
    known = [s.slug for s in dataset.service_areas]
    if not known or service in known:
        return []
    return [ProposalProblem("service", f"unknown service {service!r}; expected one of {', '.join(known)}")]


def _abolished(organisation: Organisation, organisations: dict[str, Organisation]) -> str:
    ended = f" on {organisation.end_date:%-d %B %Y}" if organisation.end_date else ""
    successors = [organisations[c] for c in organisation.successor_codes if c in organisations]
    text = f"{organisation.name} ({organisation.code}) was abolished{ended}"
    if not successors:
        return text + "; it has no successor on record"
    names = ", ".join(f"{s.name} ({s.code})" for s in successors)
    return text + f"; its successor{'s are' if len(successors) > 1 else ' is'} {names}"
