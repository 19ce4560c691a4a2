"""Partnership graph as of a year: who existed, which arrangements were active.

``OrgIndex`` holds the static facts of every organisation (one integer position each);
``Snapshot`` holds the year's sparse structures used on the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from .savings_figures import annual_equivalent, has_figures
from .types import Arrangement, Dataset, Organisation, as_of_date, current_year

TIER_INDEX = {"lower": 0, "upper": 1, "single": 2}


def _keys(values: list[str | None]) -> np.ndarray:
    lookup: dict[str, int] = {}
    return np.array([-1 if v is None else lookup.setdefault(v, len(lookup)) for v in values], dtype=np.int64)


def county_area(tier: str | None, code: str, county_code: str | None) -> str | None:
    """The two-tier county area an organisation belongs to: a district's county, or a county
    itself. A unitary council is in none, even when its record names a county (for example a
    former district): "same county" means the same two-tier county, for the model's feature and
    for a match request's constraint alike."""
    if tier == "lower":
        return county_code
    if tier == "upper":
        return code
    return None


def county_key(org: Organisation) -> str | None:
    return county_area(org.tier, org.code, org.county_code)


class OrgIndex:
    """Static per-organisation arrays, positions fixed for a Dataset.

    ``present`` is the year the records' statuses describe (default: the current year); it decides
    how arrangements with unknown start or end years count in earlier years (``Arrangement.active_in``).
    """

    def __init__(self, dataset: Dataset, present: int | None = None):
        self.dataset = dataset
        self.present = current_year() if present is None else present
        self.orgs = dataset.organisations
        self.codes = [o.code for o in self.orgs]
        self.pos = {c: i for i, c in enumerate(self.codes)}
        self.n = len(self.orgs)
        self.lat = np.radians(np.array([o.lat if o.lat is not None else np.nan for o in self.orgs], float))
        self.lon = np.radians(np.array([o.lon if o.lon is not None else np.nan for o in self.orgs], float))
        self.population = np.array([o.population or np.nan for o in self.orgs], float)
        self.tier = np.array([TIER_INDEX.get(o.tier or "", 3) for o in self.orgs], np.int64)
        self.county = _keys([county_key(o) for o in self.orgs])
        self.region = _keys([o.region for o in self.orgs])
        self.boundary = self._boundary_matrix()
        self.services = [s.slug for s in dataset.service_areas] or sorted(
            {s for a in dataset.arrangements for s in a.services}
        )
        self.service_pos = {s: i for i, s in enumerate(self.services)}
        self.service_names = {s.slug: s.name for s in dataset.service_areas}
        self.service_group = {s.slug: s.group for s in dataset.service_areas}

    def _boundary_matrix(self) -> sp.csr_matrix:
        pairs = [
            (self.pos[n.code_a], self.pos[n.code_b], n.shared_boundary_km)
            for n in self.dataset.neighbours
            if n.code_a in self.pos and n.code_b in self.pos
        ]
        if not pairs:
            return sp.csr_matrix((self.n, self.n))
        a, b, km = (np.array(x) for x in zip(*pairs))
        km = np.maximum(km.astype(float), 1e-3)  # a touching pair keeps a positive entry
        return sp.coo_matrix((np.r_[km, km], (np.r_[a, b], np.r_[b, a])), shape=(self.n, self.n)).tocsr()

    @cached_property
    def local_scale(self) -> np.ndarray:
        """Distance in km to each organisation's 5th nearest other organisation (density of the area)."""
        out = np.full(self.n, 50.0)
        for start in range(0, self.n, 512):
            rows = np.arange(start, min(start + 512, self.n))
            km = haversine(self.lat[rows, None], self.lon[rows, None], self.lat[None, :], self.lon[None, :])
            km = np.where(np.isnan(km), np.inf, km)
            k = min(5, self.n - 1)
            if k > 0:
                out[rows] = np.partition(km, k, axis=1)[:, k]
        return np.where(np.isfinite(out) & (out > 0), out, 50.0)

    def exists_mask(self, year: int) -> np.ndarray:
        day = as_of_date(year)
        return np.array([o.exists_on(day) for o in self.orgs], bool)

    def resolve(self, code: str, year: int, depth: int = 0) -> list[int]:
        """Positions standing for ``code`` in ``year``: itself, or its successors if abolished."""
        org = self.orgs[self.pos[code]] if code in self.pos else None
        if org is None or depth > 5:
            return []
        if org.exists_in(year):
            return [self.pos[code]]
        if org.end_date is not None and org.end_date < as_of_date(year):
            return sorted({p for s in org.successor_codes for p in self.resolve(s, year, depth + 1)})
        return []

    def distance(self, i: int, j: int) -> float:
        """Great-circle distance in km between organisations ``i`` and ``j``."""
        return float(haversine(self.lat[i], self.lon[i], self.lat[j], self.lon[j]))

    def boundary_row(self, i: int) -> np.ndarray:
        """Shared boundary length in km from organisation ``i`` to every organisation (0: none)."""
        start, end = self.boundary.indptr[i], self.boundary.indptr[i + 1]
        row = np.zeros(self.n)
        row[self.boundary.indices[start:end]] = self.boundary.data[start:end]
        return row

    def distances_from(self, i: int) -> np.ndarray:
        """Great-circle distance in km from organisation ``i`` to every organisation."""
        return haversine(self.lat[i], self.lon[i], self.lat, self.lon)


def haversine(lat1, lon1, lat2, lon2) -> np.ndarray:
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 12742.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def graph_arrangements(dataset: Dataset, year: int, before: bool, present: int) -> list[Arrangement]:
    """Arrangements known to be running in ``year``; with ``before`` only those started before it."""
    return [
        a
        for a in dataset.arrangements
        if a.active_in(year, present) and not (before and a.start_year is not None and a.start_year >= year)
    ]


def ended_arrangements(dataset: Dataset, year: int, present: int) -> list[Arrangement]:
    """Past partnerships in ``year`` (see ``Arrangement.ended_by`` for unknown years)."""
    return [a for a in dataset.arrangements if not a.active_in(year, present) and a.ended_by(year, present)]


@dataclass
class Snapshot:
    """The partnership graph in a year. ``before=True`` leaves out arrangements starting that year."""

    index: OrgIndex
    year: int
    before: bool = False

    def __post_init__(self):
        ix = self.index
        self.exists = ix.exists_mask(self.year)
        self.arrangements = graph_arrangements(ix.dataset, self.year, self.before, ix.present)
        self.members = [self._members(a) for a in self.arrangements]
        self.incidence = self._incidence(self.members)
        self.comember = (self.incidence.T @ self.incidence).tocsr()
        self.load = self.comember.diagonal().astype(float)
        adjacency = self.comember.copy()
        adjacency.setdiag(0)
        adjacency.eliminate_zeros()
        self.adjacency = (adjacency > 0).astype(float).tocsr()
        degree = np.asarray(self.adjacency.sum(axis=1)).ravel()
        weights = np.where(degree > 1, 1.0 / np.log(np.maximum(degree, 2)), 0.0)
        self.degree = degree
        self.aa_weights = weights
        self.ended_arrangements = ended_arrangements(ix.dataset, self.year, ix.present)
        self.ended_members = [self._members(a) for a in self.ended_arrangements]
        ended = self._incidence(self.ended_members)
        self.ended = (ended.T @ ended).tocsr()
        self._service_arrays()
        self._together: dict[str, sp.csr_matrix] = {}

    def _members(self, arrangement: Arrangement) -> list[int]:
        codes = arrangement.member_codes_in(self.year)
        return sorted({p for c in codes for p in self.index.resolve(c, self.year)})

    def _incidence(self, members: list[list[int]]) -> sp.csr_matrix:
        rows = [r for r, m in enumerate(members) for _ in m]
        cols = [c for m in members for c in m]
        return sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(members), self.index.n))

    def _service_arrays(self) -> None:
        ix, arrs = self.index, self.arrangements
        n_arr, n_s = len(arrs), len(ix.services)
        pairs = [(k, ix.service_pos[s]) for k, a in enumerate(arrs) for s in a.services if s in ix.service_pos]
        rows, cols = (np.array(x, np.int64) for x in zip(*pairs)) if pairs else (np.zeros(0, np.int64),) * 2
        by_service = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_arr, n_s))
        self.service_count = (by_service.T @ self.incidence).toarray()
        years = np.array([self.year - a.start_year if a.start_year is not None else 0 for a in arrs], float)
        aged = (sp.diags(years) @ self.incidence).tocsr()
        self.service_years = np.zeros((n_s, ix.n))
        by_service_csc = by_service.tocsc()
        for row in range(n_s):
            chosen = by_service_csc.indices[by_service_csc.indptr[row] : by_service_csc.indptr[row + 1]]
            if len(chosen):
                self.service_years[row] = aged[chosen].max(axis=0).toarray().ravel()
        host_members = [
            [
                ix.pos[m.org_code]
                for m in a.members
                if m.role == "host" and m.org_code in ix.pos and ix.pos[m.org_code] in set(members)
            ]
            for a, members in zip(arrs, self.members)
        ]
        self.service_hosting = (by_service.T @ self._incidence(host_members)).toarray()
        # figures are as reported now: a cumulative one is annualised to the present, not to self.year
        annual = np.array([annual_equivalent(a, ix.present) or 0.0 for a in arrs])
        figures = np.array([float(has_figures(a)) for a in arrs])
        self.savings_annual = self.incidence.T @ annual if n_arr else np.zeros(ix.n)
        self.with_figures = self.incidence.T @ figures if n_arr else np.zeros(ix.n)
        self._by_org = self.incidence.T.tocsr()

    def arrangements_of(self, i: int) -> np.ndarray:
        return self._by_org.indices[self._by_org.indptr[i] : self._by_org.indptr[i + 1]]

    def service_partners(self, i: int, service: str) -> set[int]:
        """Organisations already sharing ``service`` with ``i`` in this snapshot."""
        return set(self.service_partner_positions(i, service).tolist())

    def service_partner_positions(self, i: int, service: str) -> np.ndarray:
        together = self._together_in(service)
        return together.indices[together.indptr[i] : together.indptr[i + 1]]

    def _together_in(self, service: str) -> sp.csr_matrix:
        """Who shares ``service`` with whom (organisations x organisations), as ``comember`` is for
        all services: made once per service, on its first query."""
        if service not in self._together:
            in_service = [k for k, a in enumerate(self.arrangements) if service in a.services]
            incidence = self.incidence[in_service]
            together = (incidence.T @ incidence).tocsr()
            together.setdiag(0)
            together.eliminate_zeros()
            together.sort_indices()
            self._together[service] = together
        return self._together[service]

    def common_partners(self, i: int, j: int) -> int:
        """How many organisations work with both ``i`` and ``j``."""
        adjacency = self.adjacency
        return len(
            np.intersect1d(
                adjacency.indices[adjacency.indptr[i] : adjacency.indptr[i + 1]],
                adjacency.indices[adjacency.indptr[j] : adjacency.indptr[j + 1]],
                assume_unique=True,
            )
        )

    def ended_together(self, i: int, j: int) -> list[Arrangement]:
        """Ended arrangements both ``i`` and ``j`` were in, oldest first."""
        found = [a for a, members in zip(self.ended_arrangements, self.ended_members) if i in members and j in members]
        return sorted(found, key=lambda a: (a.start_year or 0, a.name))

    def service_arrangements(self, i: int, service: str) -> list[tuple[Arrangement, list[int]]]:
        """The running arrangements of ``i`` in ``service`` with their members."""
        return [
            (self.arrangements[k], self.members[k])
            for k in self.arrangements_of(i)
            if service in self.arrangements[k].services
        ]

    def shared_services(self, i: int, j: int) -> list[str]:
        return sorted(
            {s for k in self.arrangements_of(i).tolist() if j in self.members[k] for s in self.arrangements[k].services}
        )

    def candidates(self, i: int, service: str) -> np.ndarray:
        """Positions that may be suggested: existing, not ``i``, not already its partner in ``service``."""
        mask = self.exists.copy()
        mask[i] = False
        mask[self.service_partner_positions(i, service)] = False
        return np.flatnonzero(mask)

    @cached_property
    def current_positions(self) -> np.ndarray:
        return np.flatnonzero(self.exists)


def _constant(values: np.ndarray) -> bool:
    return len(values) > 0 and bool((values == values[0]).all())


def _dense_row(matrix: sp.csr_matrix, i: int) -> np.ndarray:
    start, end = matrix.indptr[i], matrix.indptr[i + 1]
    row = np.zeros(matrix.shape[1])
    row[matrix.indices[start:end]] = matrix.data[start:end]
    return row


def pair_values(matrix: sp.csr_matrix, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Elementwise ``matrix[src[k], dst[k]]`` for a symmetric sparse matrix, as a dense array."""
    if len(src) == 0:
        return np.zeros(0)
    if _constant(src):
        return _dense_row(matrix, int(src[0]))[dst]
    if _constant(dst):
        return _dense_row(matrix, int(dst[0]))[src]
    return np.asarray(matrix[src, dst], dtype=float).ravel()


def pair_products(adjacency: sp.csr_matrix, weights: np.ndarray | None, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Elementwise ``sum_z A[src,z] w_z A[z,dst]`` for a symmetric adjacency ``A``: common partners
    (no weights) or Adamic-Adar (w = 1/ln degree). Only the side with fewer distinct values is expanded."""
    if len(src) == 0:
        return np.zeros(0)
    if _constant(dst) and not _constant(src):
        src, dst = dst, src
    if _constant(src):
        vector = _dense_row(adjacency, int(src[0]))
        if weights is not None:
            vector *= weights
        return (adjacency @ vector)[dst]
    if len(np.unique(dst)) < len(np.unique(src)):
        src, dst = dst, src
    uniq, inverse = np.unique(src, return_inverse=True)
    left = adjacency[uniq]
    if weights is not None:
        left = left @ sp.diags(weights)
    rows = (left @ adjacency).tocsr()
    return np.asarray(rows[inverse, dst], dtype=float).ravel()
