"""In a real browser, with a real worker on the local RabbitMQ: an administrator sees that the
model is older than the data, starts retraining from the page, watches the page follow the run,
and sees the new model in use with the data version it was trained on."""

from __future__ import annotations

import pytest

from matchmaker.db.repositories import changes
from matchmaker.flask_database import get_database
from matchmaker.jobs.queue import get_queue
from tests.support.browser_server import BROWSER_TESTS, browser_page, start
from tests.support.pages import ADMIN
from tests.support.pages import sign_in_page as sign_in
from tests.support.workers import BROKER_URL, Workers, private_queue

pytestmark = BROWSER_TESTS
RUN_SECONDS = 300


@pytest.fixture(scope="module")
def queue_name():
    with private_queue() as name:
        yield name


@pytest.fixture(scope="module")
def server(tmp_path_factory, queue_name):
    """A server of its own, sending its jobs to the queue, with no model file yet."""
    directory = tmp_path_factory.mktemp("model-live")
    live = start(
        directory, {"BROKER_URL": BROKER_URL, "JOB_QUEUE": queue_name, "MODEL_PATH": str(directory / "model.json")}
    )
    yield live
    live.stop()
    get_queue(live.app).close()  # the broker connection the app opened


@pytest.fixture
def worker(server, queue_name):
    pool = Workers(
        server.app,
        queue_name,
        {"MATCHMAKER_MODEL_PATH": server.app.config["MODEL_PATH"], "MATCHMAKER_RETRAIN_BOOTSTRAP": "20"},
    )
    yield pool
    pool.stop_all()


@pytest.fixture
def page(browser, server):
    with browser_page(browser, server.url) as page:
        yield page


def test_an_admin_retrains_from_the_page_watches_it_and_sees_the_new_model_in_use(page, server, worker):
    from playwright.sync_api import expect

    with get_database(server.app).session() as session:
        data_version = changes.data_version(session)
    sign_in(page, ADMIN)
    page.get_by_role("link", name="Model", exact=True).first.click()
    expect(page).to_have_url(f"{server.url}/admin/model")
    expect(page.locator("#model-older")).to_contain_text("The model is older than the data")
    expect(page.locator("#data-version")).to_contain_text(f"The data is at version {data_version}")
    expect(page.get_by_text("No trained model is in use")).to_be_visible()
    expect(page.get_by_text("retraining runs while you wait")).to_have_count(0)  # a queue is configured

    worker.start()
    page.get_by_role("button", name="Retrain the model").click()
    expect(page.get_by_text("Retraining started. This page shows its progress.")).to_be_visible()
    progress = page.locator("#progress")
    expect(progress).to_contain_text("Retraining run 1")
    expect(progress).to_contain_text("This page refreshes every 5 seconds.")

    # Nothing reloads the page here: it refreshes itself until the run is decided.
    runs = page.locator("#runs tbody tr")
    expect(runs.first).to_contain_text("New model in use", timeout=RUN_SECONDS * 1000)
    expect(runs.first).to_contain_text("there was no back-tested model to compare with")
    expect(runs.first).to_contain_text(str(data_version))
    expect(progress).to_have_count(0)
    expect(page.locator("#model-current")).to_have_text("The model was trained on the data as it is now.")
    expect(page.locator("#trained-on")).to_have_text(f"data version {data_version}")
    expect(page.get_by_role("button", name="Retrain the model")).to_be_visible()
