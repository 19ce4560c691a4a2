"""Operations: health and readiness, structured logs with request ids, surviving faults."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from matchmaker.ops import faults, health, logging

    logging.init_app(app)
    faults.init_app(app)
    app.register_blueprint(health.blueprint)
