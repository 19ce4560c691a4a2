"""Entry point of scripts/generate-synthetic."""

from __future__ import annotations

import argparse
from pathlib import Path

from .synthetic import DEFAULT_SERVICES, generate, write_csvs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate a synthetic dataset (CSV, reference formats).")
    parser.add_argument("output", type=Path)
    parser.add_argument("--organisations", type=int, default=400)
    parser.add_argument("--arrangements", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--service-areas",
        type=Path,
        default=Path("data/service_areas.csv"),
        help="taxonomy to use (default data/service_areas.csv; synthetic names if absent)",
    )
    args = parser.parse_args(argv)
    services = DEFAULT_SERVICES
    if args.service_areas.exists():
        services = load_directory_services(args.service_areas)
    dataset = generate(args.organisations, args.arrangements, args.seed, services)
    write_csvs(dataset, args.output)
    print(
        f"Wrote {len(dataset.organisations)} synthetic organisations and {len(dataset.arrangements)} "
        f"synthetic arrangements to {args.output}"
    )


def load_directory_services(path: Path):
    from .csv_dataset import _rows, parse_service_area

    return tuple(parse_service_area(r) for r in _rows(path))


if __name__ == "__main__":
    main()
