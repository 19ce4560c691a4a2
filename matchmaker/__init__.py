"""Shared Service Matchmaker: find shared-service partners for English councils."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from matchmaker.config import PROJECT_ROOT, load_config
from matchmaker.json_provider import OrjsonProvider


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application. Nothing happens at import time."""
    instance_path = Path(
        (config or {}).get("INSTANCE_PATH") or os.environ.get("MATCHMAKER_INSTANCE_PATH") or PROJECT_ROOT / "instance"
    )
    app = Flask(__name__, instance_path=str(instance_path))
    app.json = OrjsonProvider(app)
    app.config.update(load_config(instance_path, config))

    from matchmaker import api, app_cache, compression, flask_database, ops, security, web
    from matchmaker.commands import register_commands

    compression.init_app(app)  # first, so that it runs after every other response hook
    flask_database.init_app(app)
    app_cache.init_app(app)
    ops.init_app(app)
    security.init_app(app)
    web.init_app(app)
    api.init_app(app)  # after the pages: /api keeps its own error handling
    register_commands(app)
    from matchmaker.jobs import queue, tasks

    queue.init_app(app, tasks.FUNCTIONS)
    return app
