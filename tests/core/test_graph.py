from matchmaker.core.graph import OrgIndex, Snapshot
from tests.support import worlds


def test_graph_as_of_a_year_counts_only_active_arrangements():
    index = OrgIndex(worlds.legal_world())
    early, late = Snapshot(index, 2005), Snapshot(index, 2020)
    assert len(early.arrangements) < len(late.arrangements)
    assert all(a.start_year <= 2005 for a in early.arrangements)
    before = Snapshot(index, 2018, before=True)
    assert "L4" not in {a.id for a in before.arrangements}


def test_successor_takes_over_an_abolished_members_arrangements():
    index = OrgIndex(worlds.abolished_world())
    snap = Snapshot(index, 2020)
    assert index.pos[worlds.code(17)] in snap.service_partners(index.pos[worlds.code(10)], "legal-democratic")
    assert not snap.exists[index.pos[worlds.code(16)]]
