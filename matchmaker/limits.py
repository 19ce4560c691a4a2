"""The application's rate limiter (Flask-Limiter), one per app: one API budget per caller.

Every /api request of a caller counts against one budget, whichever endpoint it calls. The caller
is the verified API key (API_RATE_LIMIT_KEYED, defaults in config.py), else the signed-in user (the same limit), else
the client's address (API_RATE_LIMIT_ANONYMOUS). A key that does not verify (unknown, revoked,
or forged with another key's visible prefix) counts against the address that sent it, so
guessing keys is limited and nobody can spend another caller's budget.

Storage is Redis when REDIS_URL is set and answers: the budget is then shared by every worker
and instance. Otherwise it is memory, and each worker process keeps its own count (with a logged
warning when Redis was asked for but did not answer). Other routes (e.g. the sign-in page) add
their own limits with ``get_limiter().limit(...)``.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits.storage import MemoryStorage

EXTENSION_KEY = "matchmaker.limiter"
DEFAULT_REDIS_TIMEOUT_SECONDS = 0.5
# Answered by the process alone: never wait on the rate-limit storage for these.
UNLIMITED_PATHS = frozenset({"/health", "/ready"})
MEMORY_URI = "matchmaker-memory://"
log = logging.getLogger(__name__)


def client_address() -> str:
    return request.remote_addr or "unknown"


def rate_limit_key() -> str:
    """Whose budget this request spends: the verified caller's, else its address's."""
    caller = verified_caller()
    return caller.actor if caller is not None else f"addr:{client_address()}"


def verified_caller():
    """The API caller when a key verified or a user is signed in; None for anyone else. A key
    that is refused here is answered 401 by the API's own check, after the limit."""
    if _not_api():
        return None
    from sqlalchemy.exc import SQLAlchemyError

    from matchmaker.api.auth import current_principal
    from matchmaker.api.errors import ApiProblem

    try:
        principal = current_principal()
    except (ApiProblem, SQLAlchemyError):
        return None
    return None if principal.is_anonymous else principal


def _api_limit() -> str:
    if verified_caller() is not None:
        return current_app.config["API_RATE_LIMIT_KEYED"]
    return current_app.config["API_RATE_LIMIT_ANONYMOUS"]


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


def init_app(app: Flask) -> Limiter:
    uri = storage_uri(app)
    app.config["RATELIMIT_STORAGE_URI_IN_USE"] = "memory" if uri == MEMORY_URI else "redis"
    limiter = Limiter(
        rate_limit_key,
        app=app,
        storage_uri=uri,
        storage_options=redis_timeouts(app) if uri != MEMORY_URI else {},
        # Application limits: one counter per caller shared by every endpoint.
        application_limits=[_api_limit],
        application_limits_exempt_when=_not_api,
        headers_enabled=True,
        key_prefix=app.config.get("RATELIMIT_KEY_PREFIX", "matchmaker"),
        enabled=app.config.get("RATELIMIT_ENABLED", True),
        swallow_errors=True,
        in_memory_fallback_enabled=True,
    )
    limiter.request_filter(lambda: request.path in UNLIMITED_PATHS)
    app.extensions[EXTENSION_KEY] = limiter
    return limiter


def get_limiter(app: Flask | None = None) -> Limiter:
    return (app or current_app).extensions[EXTENSION_KEY]
