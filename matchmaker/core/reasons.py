"""Plain-English reasons from per-feature contributions.

Features are grouped into ideas a person can check (distance and boundary are one idea);
a group's contribution is the sum of its features'. Reasons are the strongest positive groups.
"""

from __future__ import annotations

import numpy as np

from .features import FEATURE_POS, TIER_PAIRS
from .graph import Snapshot
from .savings_figures import format_gbp

GROUPS: dict[str, tuple[str, ...]] = {
    "proximity": ("log_distance", "relative_distance", "neighbour", "boundary_km"),
    "same_county": ("same_county",),
    "same_region": ("same_region",),
    "tier_pair": tuple(f"tier_{n}" for n in TIER_PAIRS.values()),
    "experience": ("experience", "years_running", "hosting"),
    "shares_other": ("shares_other",),
    "common_partners": ("common_partners", "adamic_adar"),
    "savings_record": ("savings_reported", "savings_share"),
    "size": ("size_similarity",),
    "load": ("load",),
    "past_ended": ("past_ended",),
}
# Features that never make a reason, and why: each feature is in one group above or here.
NOT_REASONS: dict[str, str] = {
    "council_gap": "a fact about the asking council, the same for every candidate, so it cannot favour one",
}
MIN_CONTRIBUTION = 0.05
_WIDEST = max(len(feats) for feats in GROUPS.values())
# column k of _TERMS: each group's k-th feature, or the zero column appended past the last feature
_TERMS = np.array(
    [[FEATURE_POS[f] for f in feats] + [len(FEATURE_POS)] * (_WIDEST - len(feats)) for feats in GROUPS.values()]
).T
_GROUP_NAMES = list(GROUPS)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def reason_text(
    group: str,
    snap: Snapshot,
    i: int,
    j: int,
    service: str,
    boundaries: np.ndarray | None = None,
    distance: float | None = None,
) -> str:
    """``boundaries``: the council's ``boundary_row``, and ``distance``: the km from ``i`` to ``j``,
    when the caller has them."""
    ix = snap.index
    row = ix.service_pos.get(service)
    if group == "proximity":
        boundary = float((ix.boundary_row(i) if boundaries is None else boundaries)[j])
        if boundary > 0:
            return (
                f"Neighbouring council, {boundary:.0f} km shared boundary"
                if boundary >= 1
                else "Neighbouring council, short shared boundary"
            )
        return f"Close by: {ix.distance(i, j) if distance is None else distance:.0f} km away"
    if group == "same_county":
        county = ix.orgs[j].code if ix.orgs[j].tier == "upper" else ix.orgs[j].county_code
        if ix.orgs[i].tier == "upper" and ix.orgs[j].tier == "lower":
            return "A district in your county"
        name = ix.orgs[ix.pos[county]].short_name or ix.orgs[ix.pos[county]].name if county in ix.pos else county
        return f"In the same county area ({name})"
    if group == "same_region":
        return f"In the same region ({ix.orgs[j].region})"
    if group == "tier_pair":
        tiers = {"lower": "district", "upper": "county", "single": "unitary"}
        a, b = (tiers.get(ix.orgs[k].tier or "", "other") for k in (i, j))
        return f"{a.capitalize()} and {b}: a pairing that often shares services"
    name = ix.service_names.get(service, service)
    if group == "experience":
        n = int(snap.service_count[row, j]) if row is not None else 0
        if n == 0:
            return f"No {name.lower()} partnership yet, like you"
        years = int(snap.service_years[row, j])
        since = f", running for {years} years" if years else ""
        return f"Runs {_plural(n, name.lower() + ' partnership')}{since}"
    if group == "shares_other":
        names = [ix.service_names.get(s, s) for s in snap.shared_services(i, j)]
        return "Already shares " + ", ".join(names[:3]) + " with you" if names else "Already works with you"
    if group == "common_partners":
        common = snap.common_partners(i, j)
        return f"Works with {common} of your partners" if common else "Close to your partners in the network"
    if group == "savings_record":
        annual, with_figures, total = snap.savings_annual[j], int(snap.with_figures[j]), int(snap.load[j])
        if annual > 0:
            return f"{format_gbp(annual)} a year reported savings across its arrangements"
        return f"Savings figures reported for {with_figures} of its {total} arrangements"
    if group == "size":
        pi, pj = ix.population[i], ix.population[j]
        if np.isnan(pi) or np.isnan(pj):
            return "Size not known"
        return f"Similar size: population {pj:,.0f} against your {pi:,.0f}"
    if group == "load":
        n = int(snap.load[j])
        return "No current arrangements: room to take one on" if n == 0 else f"Currently in {_plural(n, 'arrangement')}"
    if group == "past_ended":
        return ended_text(snap.ended_together(i, j), ix.service_names, service)
    return group


def _years(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return "years not known"
    return f"{start or 'start not known'}–{end or 'end not known'}"


def _in_sentence(name: str) -> str:
    """A service name inside a sentence: 'Legal and democratic' -> 'legal and democratic', 'HR, ...' kept."""
    first = name.split(" ", 1)[0].strip(",")
    return name if first.isupper() else name[:1].lower() + name[1:]


def ended_text(ended: list, service_names: dict[str, str], service: str | None = None) -> str:
    """'Shared legal and democratic services with you in CenSus, 2011–2019 (ended)': the queried
    service when the ended arrangement covered it, else its first service."""
    if not ended:
        return "Worked with you before in an arrangement that has since ended"
    # the one in the queried service first, then the latest to end
    first = min(ended, key=lambda a: (service not in a.services, -(a.end_year or a.start_year or 0), a.name))
    slug = service if service in first.services else (first.services[0] if first.services else None)
    services = _in_sentence(service_names.get(slug, slug)) if slug else "services"
    more = f"; and {_plural(len(ended) - 1, 'other ended arrangement')}" if len(ended) > 1 else ""
    return f"Shared {services} with you in {first.name}, {_years(first.start_year, first.end_year)} (ended){more}"


def group_sums(contrib: np.ndarray) -> np.ndarray:
    """Each row's contribution per group (rows x groups): its features' terms added one by one, in
    the order GROUPS lists them, so a row's sums do not depend on the other rows."""
    padded = np.hstack([contrib, np.zeros((len(contrib), 1))])
    total = padded[:, _TERMS[0]]
    for terms in _TERMS[1:]:
        total = total + padded[:, terms]
    return total


def reasons_for_rows(
    contrib: np.ndarray,
    snap: Snapshot,
    i: int,
    candidates: np.ndarray,
    service: str,
    limit: int = 3,
    distances: np.ndarray | None = None,
) -> list[list[dict]]:
    """The reasons for each candidate: its ``limit`` strongest groups above MIN_CONTRIBUTION (ties in
    the order of GROUPS), from the rows of per-feature contributions ``contrib``. ``distances``:
    each candidate's km from the council, when the caller has them."""
    sums = group_sums(contrib)
    strongest = np.argsort(-sums, axis=1, kind="stable")[:, :limit]
    boundaries = snap.index.boundary_row(i)
    kms = [None] * len(candidates) if distances is None else distances.tolist()
    return [
        [
            {
                "factor": _GROUP_NAMES[g],
                "contribution": round(v, 3),
                "text": reason_text(_GROUP_NAMES[g], snap, i, j, service, boundaries, km),
            }
            for g, v in zip(groups, values)
            if v > MIN_CONTRIBUTION
        ]
        for j, km, groups, values in zip(
            candidates.tolist(), kms, strongest.tolist(), np.take_along_axis(sums, strongest, axis=1).tolist()
        )
    ]
