"""Configuration from the environment, checked at start with clear messages."""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


WEBHOOK_SETTINGS = ("MAX_ATTEMPTS", "FIRST_RETRY_SECONDS", "TIMEOUT_SECONDS", "DISABLE_AFTER")


class ConfigError(RuntimeError):
    """The service cannot start with this configuration; the message says why."""


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'matchmaker.sqlite'}"


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def load_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    env = os.environ
    config: dict[str, Any] = {
        "ENV": env.get("MATCHMAKER_ENV", "development"),
        "DATABASE_URL": env.get("MATCHMAKER_DATABASE_URL") or default_database_url(instance_path),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "DATABASE_CONNECT_TIMEOUT": _seconds(env, "MATCHMAKER_DATABASE_CONNECT_TIMEOUT", 5.0),
        "DATABASE_STATEMENT_TIMEOUT": _seconds(env, "MATCHMAKER_DATABASE_STATEMENT_TIMEOUT", 30.0),
        "DATABASE_POOL_TIMEOUT": _seconds(env, "MATCHMAKER_DATABASE_POOL_TIMEOUT", 5.0),
        "REDIS_TIMEOUT": _seconds(env, "MATCHMAKER_REDIS_TIMEOUT", 0.5),
        "API_RATE_LIMIT_ANONYMOUS": env.get("MATCHMAKER_API_RATE_LIMIT_ANONYMOUS") or "120 per minute",
        "API_RATE_LIMIT_KEYED": env.get("MATCHMAKER_API_RATE_LIMIT_KEYED") or "600 per minute",
        "MODEL_PATH": env.get("MATCHMAKER_MODEL_PATH") or str(PROJECT_ROOT / "models" / "model.json"),
        "DATA_DIR": env.get("MATCHMAKER_DATA_DIR") or str(PROJECT_ROOT / "data"),
        "SECRET_KEY": env.get("MATCHMAKER_SECRET_KEY"),
        "BEHIND_TLS": env.get("MATCHMAKER_BEHIND_TLS", "0") == "1",
        "JSON_SORT_KEYS": False,
        "BROKER_URL": env.get("MATCHMAKER_BROKER_URL") or None,
        "JOB_QUEUE": env.get("MATCHMAKER_JOB_QUEUE") or "matchmaker",
        "RETRAIN_BOOTSTRAP": int(env.get("MATCHMAKER_RETRAIN_BOOTSTRAP") or 1000),
        **{
            f"WEBHOOK_{name}": env[f"MATCHMAKER_WEBHOOK_{name}"]
            for name in WEBHOOK_SETTINGS
            if env.get(f"MATCHMAKER_WEBHOOK_{name}")
        },
        "CLOCK": _utc_now,  # tests pass their own, to move time on without waiting
        "BASE_URL": env.get("MATCHMAKER_BASE_URL") or "http://127.0.0.1:5000",
        "SMTP_HOST": env.get("MATCHMAKER_SMTP_HOST") or None,
        "SMTP_PORT": _port(env.get("MATCHMAKER_SMTP_PORT") or "587"),
        "SMTP_USERNAME": env.get("MATCHMAKER_SMTP_USERNAME") or None,
        "SMTP_PASSWORD": env.get("MATCHMAKER_SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": env.get("MATCHMAKER_SMTP_STARTTLS", "1") == "1",
        "MAIL_FROM": env.get("MATCHMAKER_MAIL_FROM") or "Shared Service Matchmaker <no-reply@localhost>",
    }
    config.update(overrides or {})
    if not config["SECRET_KEY"]:
        if config["ENV"] == "production":
            raise ConfigError(
                "MATCHMAKER_SECRET_KEY is not set. In production the secret key must come "
                "from the environment (for example: export MATCHMAKER_SECRET_KEY=$(openssl rand -hex 32))."
            )
        config["SECRET_KEY"] = _development_secret(instance_path)
    return config


def _seconds(env, name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ConfigError(f"{name} must be a number of seconds greater than 0, not {raw!r}.")
    return value


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ConfigError(f"MATCHMAKER_SMTP_PORT must be a port number from 1 to 65535, not {value!r}")
    return int(value)


def _development_secret(instance_path: Path) -> str:
    """A per-installation key kept in instance/, so sessions survive restarts and workers agree."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
