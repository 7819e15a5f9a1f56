"""Settings, read from the environment when the app is created (never at import time)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Config:
    """Defaults; every value can be overridden by an environment variable of the same name."""

    DATABASE_URL: str | None = None  # None: SQLite at instance/sandbox.db
    SECRET_KEY: str | None = None  # None: generated once and kept in instance/secret_key
    # SQLite only: FULL survives a power cut with every acknowledged action; NORMAL may lose the
    # last ones then (never on a mere crash of the app). See docs/administration.md.
    SQLITE_SYNCHRONOUS: str = "FULL"
    # PostgreSQL only: connections each app process keeps open. At least its threads (sandbox
    # serve sets threads + 1 unless given): beyond it, a connection is opened and closed per
    # request (a new server process each time, its prepared statements lost).
    DATABASE_POOL_SIZE = 5
    SCENARIOS_DIR: str = str(PROJECT_ROOT / "scenarios")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set SESSION_COOKIE_SECURE=1 behind HTTPS
    # Behind one reverse proxy (nginx, a load balancer): trust its X-Forwarded-For/-Proto/-Host
    # headers, so sign-in throttling sees the real address and invitation links the public URL.
    BEHIND_PROXY = False
    # "Keep me signed in": for 30 days at most, then the password is asked again. The
    # remember-me cookie takes its Secure/HttpOnly/SameSite flags from the session cookie's.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    # Sign-in throttling (sandbox.accounts.Throttle): after this many failures on one account
    # from one address, each next try there waits 1 s, 2 s, 4 s... (at most 5 minutes);
    # addresses that never signed in to the account are refused for the rest of the window
    # once the account or the address reached its count. The owner's usual address only waits.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    # How new passwords are hashed (werkzeug's method names). Keep the default in production;
    # test suites set a cheap one ("pbkdf2:sha256:1") so signing in costs nothing.
    PASSWORD_HASH_METHOD = "scrypt"
    # Which runs are evidence on the talent board (sandbox.evidence, docs/talent.md): an exam
    # run where the trainee answered less than this share of the scenario's expected events
    # was abandoned early and is left out as incomplete...
    TALENT_MIN_ANSWERED_SHARE = 0.5
    # ...and nobody is ranked, given percentiles or flagged with fewer counted exam runs than
    # this, or on fewer different scenarios.
    TALENT_MIN_EXAM_RUNS = 3
    TALENT_MIN_SCENARIOS = 2
    # Who may read /metrics: with a token, whoever sends "Authorization: Bearer <token>"; without
    # one, only requests from this machine that no proxy forwarded (docs/administration.md).
    METRICS_TOKEN: str | None = None


class SettingError(ValueError):
    """A setting with a value the app cannot use; the message says which and what to use."""


_ENV_KEYS = ("DATABASE_URL", "SECRET_KEY", "SCENARIOS_DIR", "PASSWORD_HASH_METHOD",
             "SQLITE_SYNCHRONOUS", "METRICS_TOKEN")
_ENV_FLAGS = ("SESSION_COOKIE_SECURE", "BEHIND_PROXY")
_ENV_NUMBERS = {"TALENT_MIN_ANSWERED_SHARE": (float, 0, 1), "TALENT_MIN_EXAM_RUNS": (int, 1, 100),
                "TALENT_MIN_SCENARIOS": (int, 1, 100), "DATABASE_POOL_SIZE": (int, 1, 200)}


def from_environment() -> dict:
    """The settings given in the environment, with flags turned into booleans."""
    values = {key: os.environ[key] for key in _ENV_KEYS if os.environ.get(key)}
    for key in _ENV_FLAGS:
        if key in os.environ:
            values[key] = os.environ[key].strip().lower() in {"1", "true", "yes", "on"}
    for key, (kind, low, high) in _ENV_NUMBERS.items():
        if os.environ.get(key):
            values[key] = _number(key, os.environ[key], kind, low, high)
    return values


def _number(key: str, text: str, kind: type, low: float, high: float) -> float:
    try:
        value = kind(text.strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        word = "a whole number" if kind is int else "a number"
        raise SettingError(f"{key} is {text!r}; use {word} from {low} to {high}.")
    return value


def default_database_url(instance_path: str) -> str:
    return f"sqlite:///{Path(instance_path) / 'sandbox.db'}"


def instance_secret_key(instance_path: str) -> str:
    """The secret key kept in the instance folder, created (readable by the owner only) once."""
    path = Path(instance_path) / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()
