"""Plain-English reasons from per-feature contributions.

Features are grouped into ideas a person can check (distance and boundary are one idea);
a group's contribution is the sum of its features'. Reasons are the strongest positive groups.
"""
from __future__ import annotations

import numpy as np

from .features import FEATURE_POS, TIER_PAIRS
from .figures import format_gbp
from .graph import Snapshot

GROUPS: dict[str, tuple[str, ...]] = {
    "proximity": ("log_distance", "neighbour", "boundary_km"),
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
MIN_CONTRIBUTION = 0.05


def group_contributions(contrib: np.ndarray) -> dict[str, float]:
    return {g: float(sum(contrib[FEATURE_POS[f]] for f in feats)) for g, feats in GROUPS.items()}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def reason_text(group: str, snap: Snapshot, i: int, j: int, service: str) -> str:
    ix = snap.index
    row = ix.service_pos.get(service)
    if group == "proximity":
        boundary = float(ix.boundary_row(i)[j])
        if boundary > 0:
            return f"Neighbouring council, {boundary:.0f} km shared boundary" if boundary >= 1 \
                else "Neighbouring council, short shared boundary"
        return f"Close by: {ix.distance(i, j):.0f} km away"
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
        common = int((snap.adjacency[i].multiply(snap.adjacency[j])).sum())
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
        return "Worked with you before in an arrangement that has since ended"
    return group


def reasons_for(contrib: np.ndarray, snap: Snapshot, i: int, j: int, service: str, limit: int = 3) -> list[dict]:
    groups = sorted(group_contributions(contrib).items(), key=lambda kv: -kv[1])
    return [{"factor": g, "contribution": round(v, 3), "text": reason_text(g, snap, i, j, service)}
            for g, v in groups[:limit] if v > MIN_CONTRIBUTION]
