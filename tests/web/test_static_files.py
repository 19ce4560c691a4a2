"""Static files: linked under content-hashed names kept for a year, sent precompressed."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import brotli
import pytest

STATIC = Path(__file__).resolve().parents[2] / "matchmaker" / "web" / "static"
LINKED = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def linked_assets(client) -> list[str]:
    return LINKED.findall(client.get("/").get_data(as_text=True))


def test_pages_link_static_files_by_content_hash(client):
    assets = linked_assets(client)
    assert "/static/css/app." + _digest("css/app.css") + ".css" in assets
    assert any(a.startswith("/static/vendor/govuk-frontend/govuk-frontend.min.") for a in assets)
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{12}\.[a-z]+$", asset), asset


def test_hashed_names_are_immutable_and_plain_names_short_lived(client):
    hashed = "/static/css/app." + _digest("css/app.css") + ".css"
    response = client.get(hashed, buffered=True)  # buffered: the file is closed
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_data() == (STATIC / "css" / "app.css").read_bytes()
    plain = client.get("/static/css/app.css", buffered=True)
    assert plain.headers["Cache-Control"] == "max-age=300, public"
    assert plain.get_data() == response.get_data()


@pytest.mark.parametrize("asset", ["css/app.css", "vendor/govuk-frontend/govuk-frontend.min.js"])
def test_static_files_are_sent_compressed_to_browsers_that_accept_it(client, asset):
    copy, original = STATIC / f"{asset}.br", STATIC / asset
    if not copy.exists() or copy.stat().st_mtime < original.stat().st_mtime:
        pytest.fail(f"{copy} is missing or older than its file: ./scripts/bootstrap makes it")
    url = f"/static/{asset}"
    response = client.get(url, headers={"Accept-Encoding": "br, gzip"}, buffered=True)
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert brotli.decompress(response.get_data()) == (STATIC / asset).read_bytes()


def _digest(relative: str) -> str:
    return hashlib.sha256((STATIC / relative).read_bytes()).hexdigest()[:12]


def test_a_compressed_copy_older_than_its_file_is_not_sent(tmp_path):
    from werkzeug.test import Client
    from werkzeug.wrappers import Response

    from matchmaker.web.static_files import FreshCopiesOnly

    (tmp_path / "edited.css").write_text("body { color: red }" * 50)
    (tmp_path / "edited.css.br").write_bytes(brotli.compress(b"stale"))
    (tmp_path / "kept.css").write_text("p { margin: 0 }" * 50)
    (tmp_path / "kept.css.br").write_bytes(brotli.compress((tmp_path / "kept.css").read_bytes()))
    old = (tmp_path / "edited.css").stat().st_mtime - 60
    os.utime(tmp_path / "edited.css.br", (old, old))
    files = FreshCopiesOnly(lambda environ, start: Response("app")(environ, start))
    files.add_files(str(tmp_path), prefix="/static/")
    client = Client(files)
    edited = client.get("/static/edited.css", headers={"Accept-Encoding": "br"}, buffered=True)
    assert "Content-Encoding" not in edited.headers
    assert edited.get_data() == (tmp_path / "edited.css").read_bytes()
    kept = client.get("/static/kept.css", headers={"Accept-Encoding": "br"}, buffered=True)
    assert kept.headers["Content-Encoding"] == "br"
