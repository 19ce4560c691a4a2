"""`python -m tests.support.stalled_sender worker`: a worker whose webhook sender stops for good
before sending anything, so a test can kill it between claiming a delivery and sending it."""

from __future__ import annotations

import threading

from matchmaker import cli
from matchmaker.services import webhooks


def _never_sends(*args, **kwargs):
    threading.Event().wait()


if __name__ == "__main__":
    webhooks.post = _never_sends
    cli.main()
