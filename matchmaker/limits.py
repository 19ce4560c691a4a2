"""The application's rate limiter (Flask-Limiter), one per app: one API budget per caller.

Every /api request of a caller counts against one budget, whichever endpoint it calls. The caller
is the verified API key (API_RATE_LIMIT_KEYED, defaults in config.py), else the signed-in user (the same limit), else
the client's address (API_RATE_LIMIT_ANONYMOUS). A key that does not verify (unknown, revoked,
or forged with another key's visible prefix) counts against the address that sent it, so
guessing keys is limited and nobody can spend another caller's budget.

Storage is Redis when REDIS_URL is set and answers: the budget is then shared by every worker
and instance. Otherwise it is memory, and each worker process keeps its own count (with a logged
warning when Redis was asked for but did not answer, or stops answering). Other routes (e.g. the
sign-in page) add their own limits with ``get_limiter().limit(...)``.

The API budget is counted by ``ApiBudget`` straight in Flask-Limiter's storage, as the limits
library's fixed window counts: one increment of the caller's counter for the window, which
answers both whether the call is allowed and how much is left. Flask-Limiter's own per-request
work (resolving default, blueprint and decorated limits, exemptions, then reading the window again
for the headers) was a fifth of the processor time of an API answer served from memory, and the
strategy's own hit-then-read costs Redis three round trips where two do.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from flask import Flask, Response, current_app, g, request
from flask_limiter import Limiter
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage
from werkzeug.exceptions import TooManyRequests

EXTENSION_KEY = "matchmaker.limiter"
CALLER_KEY = "matchmaker.limiter.caller"
DEFAULT_REDIS_TIMEOUT_SECONDS = 0.5
MEMORY_URI = "matchmaker-memory://"
log = logging.getLogger(__name__)


def client_address() -> str:
    return request.remote_addr or "unknown"


def rate_limit_key() -> str:
    """Whose budget this request spends: the verified caller's, else its address's."""
    caller = verified_caller()
    return caller if caller is not None else f"addr:{client_address()}"


def verified_caller() -> str | None:
    """Who the API verified this /api request comes from (a key or a signed-in user), as told
    by the function the API registered in ``init_app``; None for anyone else."""
    if _not_api():
        return None
    return current_app.extensions[CALLER_KEY]()


def _not_api() -> bool:
    return not request.path.startswith("/api/")


def redis_timeouts(app: Flask) -> dict[str, float]:
    """Bounds on every Redis call, so a Redis that stalls costs a request at most this."""
    seconds = app.config.get("REDIS_TIMEOUT", DEFAULT_REDIS_TIMEOUT_SECONDS)
    return {"socket_connect_timeout": seconds, "socket_timeout": seconds}


def redis_answers(url: str, timeouts: dict[str, float] | None = None) -> bool:
    import redis

    timeouts = timeouts or {
        "socket_connect_timeout": DEFAULT_REDIS_TIMEOUT_SECONDS,
        "socket_timeout": DEFAULT_REDIS_TIMEOUT_SECONDS,
    }
    try:
        client = redis.Redis.from_url(url, **timeouts)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError):
        return False


def storage_uri(app: Flask) -> str:
    url = app.config.get("REDIS_URL")
    if not url:
        return MEMORY_URI
    if redis_answers(url, redis_timeouts(app)):
        return url
    log.warning("REDIS_URL is set but Redis does not answer; rate limits use memory storage, per worker")
    return MEMORY_URI


class ThreadlessMemoryStorage(MemoryStorage):
    """limits' memory storage, expiring old counters inline at most once a second instead of
    starting a timer thread on nearly every request (costly under load)."""

    STORAGE_SCHEME = ["matchmaker-memory"]
    EXPIRE_EVERY_SECONDS = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()
        self._expired_at = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the private timer start
        now = time.monotonic()
        if now - self._expired_at >= self.EXPIRE_EVERY_SECONDS:
            self._expired_at = now
            self._MemoryStorage__expire_events()


class ApiBudget:
    """One fixed-window counter per caller for every /api request, with the X-RateLimit headers.
    When the storage fails (Redis stopped), counts go to this worker's memory for a while."""

    RETRY_STORAGE_SECONDS = 10.0
    SCOPE = "api"

    def __init__(self, app: Flask, limiter: Limiter) -> None:
        self.prefix = app.config.get("RATELIMIT_KEY_PREFIX", "matchmaker")
        self.enabled = app.config.get("RATELIMIT_ENABLED", True)
        # A disabled limiter has no storage of its own; nothing is counted then.
        self.storage: Storage = limiter.storage if self.enabled else ThreadlessMemoryStorage()
        self.fallback: Storage = ThreadlessMemoryStorage()
        self._storage_failed_at: float | None = None
        self._items: dict[str, RateLimitItem] = {}

    def item(self, text: str) -> RateLimitItem:
        if text not in self._items:
            self._items[text] = parse(text)
        return self._items[text]

    def _storage(self) -> Storage:
        failed = self._storage_failed_at
        if failed is not None and time.monotonic() - failed < self.RETRY_STORAGE_SECONDS:
            return self.fallback
        return self.storage

    def _count(self, item: RateLimitItem, caller: str) -> tuple[bool, float, int]:
        storage = self._storage()
        key = item.key_for(self.prefix, self.SCOPE, caller)
        try:
            spent = storage.incr(key, item.get_expiry())
            reset_at = storage.get_expiry(key)
        except Exception:  # the storage's own errors (Redis connection, timeout) differ by backend
            if storage is self.fallback:
                raise
            log.warning("rate-limit storage failed; counting in this worker's memory for now")
            self._storage_failed_at = time.monotonic()
            return self._count(item, caller)
        return spent <= item.amount, reset_at, max(0, item.amount - spent)

    def check(self) -> None:
        """Counts this /api request against its caller's budget; 429 once it is spent."""
        if not self.enabled or _not_api():
            return
        caller = verified_caller()
        config = current_app.config
        text = config["API_RATE_LIMIT_KEYED"] if caller is not None else config["API_RATE_LIMIT_ANONYMOUS"]
        item = self.item(text)
        allowed, reset_at, remaining = self._count(item, rate_limit_key())
        g.api_budget = (item.amount, remaining, reset_at)
        if not allowed:
            raise TooManyRequests(text, retry_after=max(1, int(reset_at - time.time())))

    @staticmethod
    def add_headers(response: Response) -> Response:
        budget = g.pop("api_budget", None)
        if budget is not None:
            amount, remaining, reset_at = budget
            response.headers["X-RateLimit-Limit"] = str(amount)
            response.headers["X-RateLimit-Remaining"] = str(remaining)
            response.headers["X-RateLimit-Reset"] = str(int(reset_at))
            response.headers.setdefault("Retry-After", str(max(0, int(reset_at - time.time()))))
        return response


def init_app(app: Flask, caller: Callable[[], str | None]) -> Limiter:
    """``caller`` names who the API verified a /api request comes from (None when nobody): the
    API decides, so the limiter needs no knowledge of keys or sign-in."""
    app.extensions[CALLER_KEY] = caller
    uri = storage_uri(app)
    app.config["RATELIMIT_STORAGE_URI_IN_USE"] = "memory" if uri == MEMORY_URI else "redis"
    limiter = Limiter(
        rate_limit_key,
        app=app,
        storage_uri=uri,
        storage_options=redis_timeouts(app) if uri != MEMORY_URI else {},
        headers_enabled=True,
        key_prefix=app.config.get("RATELIMIT_KEY_PREFIX", "matchmaker"),
        enabled=app.config.get("RATELIMIT_ENABLED", True),
        swallow_errors=True,
        in_memory_fallback_enabled=True,
    )
    # No default, application or decorated limits: /api requests spend the one API budget (below)
    # and pages check theirs where they apply (``with get_limiter().limit(...)``), so the
    # extension's own check before every request would resolve nothing, at about a tenth of what
    # /health costs. The headers of a page limit checked in its view are still added after it.
    # (A disabled limiter registered no hooks at all.)
    hooks = app.before_request_funcs.setdefault(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)
    budget = ApiBudget(app, limiter)
    app.before_request(budget.check)
    app.after_request(budget.add_headers)
    app.extensions[EXTENSION_KEY] = limiter
    return limiter


def get_limiter(app: Flask | None = None) -> Limiter:
    return (app or current_app).extensions[EXTENSION_KEY]
