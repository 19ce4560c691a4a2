"""Run an existing Flask app under gunicorn without a separate config file."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class GunicornApp(BaseApplication):
    def __init__(self, app: Any, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application
