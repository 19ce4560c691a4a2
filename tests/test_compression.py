"""Pages, JSON and the map's boundaries go out compressed to clients that accept it, and plain to
those that do not; the body decodes to what the plain response says."""

from __future__ import annotations

import gzip
import json
import re

import brotli
import pytest

DECODERS = {"br": brotli.decompress, "gzip": gzip.decompress}


def _without_nonce(body: bytes) -> bytes:
    """Pages carry a fresh script nonce on each request."""
    return re.sub(rb'nonce="[^"]+"', b'nonce=""', body)


@pytest.mark.parametrize("encoding", ["br", "gzip"])
@pytest.mark.parametrize("path", ["/", "/statistics", "/api/v1/organisations?limit=50", "/api/v1/service-areas"])
def test_pages_and_json_are_compressed_for_clients_that_accept_it(client, path, encoding):
    plain = client.get(path)
    packed = client.get(path, headers={"Accept-Encoding": f"{encoding}, identity;q=0.5"})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = DECODERS[encoding](packed.get_data())
    assert len(packed.get_data()) < len(body) / 2
    assert _without_nonce(body) == _without_nonce(plain.get_data())


def test_a_compressed_api_answer_still_revalidates(client):
    first = client.get("/api/v1/service-areas", headers={"Accept-Encoding": "br"})
    again = client.get(
        "/api/v1/service-areas",
        headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304


def test_boundaries_are_sent_precompressed_and_kept_a_year_at_their_versioned_url(client):
    page = client.get("/map").get_data(as_text=True)
    url = page.split('data-boundaries="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert "?v=" in url
    plain = client.get(url)
    assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for encoding, decode in DECODERS.items():
        packed = client.get(url, headers={"Accept-Encoding": encoding})
        assert packed.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert json.loads(decode(packed.get_data())) == plain.get_json()
        assert len(packed.get_data()) < len(plain.get_data()) / 3
    unversioned = client.get("/map/boundaries.geojson")
    assert "immutable" not in unversioned.headers["Cache-Control"]
    assert "max-age=86400" in unversioned.headers["Cache-Control"]
