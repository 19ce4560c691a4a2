"""networkx views of the partnership graph for the statistics pages (not the hot path)."""
from __future__ import annotations

import networkx as nx

from .graph import OrgIndex, Snapshot
from .types import Dataset


def partnership_graph(snap: Snapshot) -> nx.MultiGraph:
    """Organisations that existed as nodes; one edge per arrangement and member pair."""
    ix = snap.index
    graph = nx.MultiGraph(year=snap.year)
    for p in snap.current_positions:
        org = ix.orgs[p]
        graph.add_node(org.code, name=org.name, tier=org.tier, region=org.region)
    for arr, members in zip(snap.arrangements, snap.members):
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1:]:
                graph.add_edge(ix.codes[a], ix.codes[b], key=arr.id, services=arr.services,
                               start_year=arr.start_year, end_year=arr.end_year)
    return graph


def simple_graph(snap: Snapshot) -> nx.Graph:
    """Collapsed graph: edge weight = number of arrangements the pair shares."""
    graph = nx.Graph()
    multi = partnership_graph(snap)
    graph.add_nodes_from(multi.nodes(data=True))
    for a, b in multi.edges():
        weight = graph.get_edge_data(a, b, {"weight": 0})["weight"]
        graph.add_edge(a, b, weight=weight + 1)
    return graph


def graph_as_of(dataset: Dataset, year: int) -> nx.Graph:
    return simple_graph(Snapshot(OrgIndex(dataset), year))


def components(graph: nx.Graph, min_size: int = 2) -> list[list[str]]:
    """Connected groups of partners, largest first (isolated organisations left out)."""
    parts = [sorted(c) for c in nx.connected_components(graph) if len(c) >= min_size]
    return sorted(parts, key=lambda c: (-len(c), c))


def centrality(graph: nx.Graph, top: int = 20) -> list[dict]:
    """Most connected organisations: degree (partners) and betweenness (brokerage)."""
    betweenness = nx.betweenness_centrality(graph) if graph.number_of_nodes() else {}
    rows = [{"code": n, "name": graph.nodes[n].get("name", n), "partners": graph.degree(n),
             "betweenness": round(betweenness.get(n, 0.0), 4)} for n in graph.nodes]
    rows.sort(key=lambda r: (-r["partners"], -r["betweenness"], r["code"]))
    return rows[:top]


def communities(graph: nx.Graph, seed: int = 0) -> list[list[str]]:
    """Clusters of organisations that share a lot with each other (Louvain, seeded)."""
    linked = graph.subgraph([n for n in graph.nodes if graph.degree(n) > 0])
    if linked.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(linked, weight="weight", seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c))


def summary(graph: nx.Graph) -> dict:
    linked = [n for n in graph.nodes if graph.degree(n) > 0]
    return {"organisations": graph.number_of_nodes(), "sharing": len(linked),
            "partner_pairs": graph.number_of_edges(), "groups": len(components(graph))}
