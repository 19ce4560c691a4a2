"""The app served on 127.0.0.1 from a thread, on a file SQLite database with the bundled data, and
the browser pages the tests open on it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
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
VIEWPORT = {"width": 1280, "height": 900}
REFUSED_PAGE_LINE = "Failed to load resource: the server responded with a status of "


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


@contextmanager
def browser_page(browser, base_url: str, **context_options) -> Iterator:
    """A page in a browser context of its own (a 1280 x 900 window unless ``context_options`` say
    otherwise). On leaving, the context is closed, and an error raised by a script or logged to the
    console on any of its pages fails the test. A page the server refused is the test's to check by
    its status: the browser's console line reporting it is not counted."""
    context = browser.new_context(base_url=base_url, **{"viewport": VIEWPORT, **context_options})
    errors: list[str] = []
    logged: list[tuple[str, str]] = []  # console errors: (text, the address they are about)
    refused: set[str] = set()  # pages opened with an error status

    def on_console(line) -> None:
        if line.type == "error":
            logged.append((line.text, line.location["url"]))

    def on_response(response) -> None:
        if response.status >= 400 and response.request.is_navigation_request():
            refused.add(response.url)

    context.on("weberror", lambda error: errors.append(str(error.error)))
    context.on("console", on_console)
    context.on("response", on_response)
    try:
        yield context.new_page()
    finally:
        context.close()
    errors += [text for text, url in logged if not (url in refused and text.startswith(REFUSED_PAGE_LINE))]
    assert not errors, f"browser errors: {errors}"
