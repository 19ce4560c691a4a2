"""Static files served by WhiteNoise, each also under a content-hashed name cached for a year.

``url_for('static', filename='css/app.css')`` gives ``/static/css/app.<hash>.css``: the name
changes exactly when the content does, so browsers may keep it forever (``immutable``). The plain
names still answer, with a short lifetime, for URLs that files reach by relative path (fonts and
images named in CSS, modules imported by other modules). Precompressed ``.br`` and ``.gz`` copies,
written beside the files by ``scripts/bootstrap`` (``python -m whitenoise.compress``), are sent to
browsers that accept them.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from wsgiref.headers import Headers

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.responders import StaticFile

URL_PREFIX = "/static/"
SHORT_MAX_AGE_SECONDS = 300
COMPRESSED_SUFFIXES = (".br", ".gz")


@lru_cache(maxsize=4)
def hashed_names(root: str) -> dict[str, str]:
    """Each file under ``root`` (relative, with forward slashes) -> its content-hashed name."""
    names: dict[str, str] = {}
    for path in sorted(Path(root).rglob("*")):
        if not path.is_file() or path.suffix in COMPRESSED_SUFFIXES:
            continue
        relative = path.relative_to(root).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        stem, extension = os.path.splitext(relative)
        names[relative] = f"{stem}.{digest}{extension}"
    return names


class FreshCopiesOnly(WhiteNoise):
    """WhiteNoise, but a compressed copy older than its file (edited since it was compressed) is
    not sent: the plain file is, until ``scripts/bootstrap`` makes the copies again."""

    def get_static_file(self, path, url, stat_cache=None):
        headers = Headers([])
        self.add_mime_headers(headers, path, url)
        self.add_cache_headers(headers, path, url)
        if self.add_headers_function is not None:
            self.add_headers_function(headers, path, url)
        encodings = {
            encoding: path + suffix
            for encoding, suffix in (("br", ".br"), ("gzip", ".gz"))
            if _newer_or_same(path + suffix, path)
        }
        return StaticFile(path, headers.items(), encodings=encodings)


def _newer_or_same(copy: str, original: str) -> bool:
    try:
        return os.stat(copy).st_mtime >= os.stat(original).st_mtime
    except OSError:
        return False


def _security_headers(headers, _path: str, _url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"


def init_app(app: Flask) -> None:
    root = app.static_folder
    names = hashed_names(root)
    immutable = {URL_PREFIX + hashed for hashed in names.values()}
    files = FreshCopiesOnly(
        app.wsgi_app,
        max_age=SHORT_MAX_AGE_SECONDS,
        immutable_file_test=lambda _path, url: url in immutable,
        add_headers_function=_security_headers,
    )
    files.add_files(root, prefix=URL_PREFIX)
    for relative, hashed in names.items():
        files.add_file_to_dictionary(URL_PREFIX + hashed, os.path.join(root, relative))
    app.wsgi_app = files

    @app.url_defaults
    def _hashed_static_name(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]
