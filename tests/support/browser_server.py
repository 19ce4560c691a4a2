"""The app served on 127.0.0.1 from a thread, on a file SQLite database with the bundled data."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

from matchmaker import create_app
from matchmaker.flask_database import get_database
from tests.support.databases import populate

# A browser that leaves a page while a static file is still being sent makes the development
# server drop the connection; the file is then closed by the garbage collector, not the server,
# and Python reports it as unraisable. That is the test server's doing, not the application's.
DROPPED_STATIC_FILE = (
    "ignore:Exception ignored in. <_io.FileIO name='[^']*/matchmaker/web/static/"
    ":pytest.PytestUnraisableExceptionWarning"
)
BROWSER_TESTS = [pytest.mark.browser, pytest.mark.filterwarnings(DROPPED_STATIC_FILE)]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"  # screenshots, kept out of git


@dataclass
class LiveServer:
    url: str
    server: BaseWSGIServer
    thread: threading.Thread
    app: object

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        get_database(self.app).dispose()


def start(directory: Path, config: dict | None = None) -> LiveServer:
    """``config``: settings of the test's own, over the defaults (a job queue, a model file)."""
    database = directory / "browser.sqlite"
    populate(f"sqlite:///{database}", "bundled")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "INSTANCE_PATH": str(directory / "instance"),
            "SECRET_KEY": "browser-test-secret",
            "RATELIMIT_ENABLED": False,
            **(config or {}),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    return LiveServer(f"http://127.0.0.1:{server.server_port}", server, thread, app)
