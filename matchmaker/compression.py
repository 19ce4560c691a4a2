"""Responses compressed with Brotli or gzip (Flask-Compress) for browsers that accept them.

Pages, JSON, CSV and the map's GeoJSON are compressed as they are sent; static files are sent as
precompressed copies by WhiteNoise (``web.static_files``) and never reach this. Registered first
so that it runs after every other response hook: the ETag the API sets on the plain body gets
the encoding appended, and If-None-Match is checked again against that.
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

MIMETYPES = [
    "text/html",
    "text/css",
    "text/csv",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/geo+json",
    "image/svg+xml",
]

compress = Compress()


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)
