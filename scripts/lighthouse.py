"""Lighthouse's mobile audit of the main pages against a local server: see scripts/lighthouse."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matchmaker.ops.server_process import running_server  # noqa: E402
from tests.support.databases import populate  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
REPORTS = ROOT / "tests" / "artifacts" / "lighthouse"
PAGES = {
    "home": "/",
    "map": "/map",
    "statistics": "/statistics",
    "find-partners": "/find-partners?council=E07000223&service=legal-democratic",
    "council": "/councils/E07000223",
    "api-docs": "/api/v1/docs",
}
TARGETS = "targets: performance >= 90, accessibility 100, CLS < 0.1"


def lighthouse_command() -> str | None:
    found = os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse")
    local = ROOT / "node_modules" / ".bin" / "lighthouse"
    return found or (str(local) if local.exists() else None)


def audit(command: str, url: str, report: Path) -> dict[str, float]:
    subprocess.run(
        [
            command, url, "--quiet", "--output=json", f"--output-path={report}",
            "--only-categories=performance,accessibility",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM)},
    )  # fmt: skip
    result = json.loads(report.read_text(encoding="utf-8"))
    return {
        "performance": result["categories"]["performance"]["score"] * 100,
        "accessibility": result["categories"]["accessibility"]["score"] * 100,
        "cls": result["audits"]["cumulative-layout-shift"]["numericValue"],
        "lcp_ms": result["audits"]["largest-contentful-paint"]["numericValue"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is shown")
    parser.add_argument("--page", action="append", choices=PAGES, help="only this page (may be repeated)")
    args = parser.parse_args()
    command = lighthouse_command()
    if command is None:
        print(
            "Lighthouse is not installed: npm i -E lighthouse@12.2.3, then set LIGHTHOUSE to "
            "its node_modules/.bin/lighthouse (or put it on PATH)."
        )
        return 0
    if not Path(os.environ.get("CHROME_PATH", CHROMIUM)).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium")
        return 0
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/lighthouse.sqlite"
        populate(url, "bundled")
        env = {"MATCHMAKER_DATABASE_URL": url, "MATCHMAKER_SECRET_KEY": "lighthouse", "MATCHMAKER_LOG_LEVEL": "warning"}
        with running_server(env, Path(directory) / "server.log", workers=2, threads=4) as server:
            print(f"Lighthouse mobile, {args.runs} run(s) per page, median; {TARGETS}")
            for name, path in PAGES.items():
                if args.page and name not in args.page:
                    continue
                runs = [audit(command, server.url + path, REPORTS / f"{name}-{run}.json") for run in range(args.runs)]
                figures = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
                print(
                    f"  {name:14s} performance {figures['performance']:3.0f}  accessibility "
                    f"{figures['accessibility']:3.0f}  CLS {figures['cls']:.3f}  "
                    f"LCP {figures['lcp_ms'] / 1000:.1f} s"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
