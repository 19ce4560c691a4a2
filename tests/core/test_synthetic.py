from matchmaker.core.csv_dataset import load_directory
from matchmaker.core.synthetic import generate, write_csvs


def test_synthetic_world_is_seeded_flagged_and_round_trips_through_csv(tmp_path):
    first, again = generate(60, 120, seed=3), generate(60, 120, seed=3)
    assert first.organisations == again.organisations and first.arrangements == again.arrangements
    assert all(o.synthetic and o.name.startswith("Synthetic ") and o.code.startswith("X") for o in first.organisations)
    assert all(a.synthetic for a in first.arrangements)
    write_csvs(first, tmp_path)
    loaded = load_directory(tmp_path)
    assert [o.code for o in loaded.organisations] == [o.code for o in first.organisations]
    assert all(o.synthetic for o in loaded.organisations) and all(a.synthetic for a in loaded.arrangements)
    assert [a.member_codes for a in loaded.arrangements] == [a.member_codes for a in first.arrangements]
