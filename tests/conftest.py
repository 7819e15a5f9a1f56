"""Shared fixtures: a fresh app and database per test, signed-in clients, a throwaway PostgreSQL."""

import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel

from sandbox import accounts, create_app
from sandbox.db import make_engine

PASSWORD = "correct horse battery"
SHIPPED = Path(__file__).resolve().parent.parent / "scenarios"
LIBRARY_RECALL = Path(__file__).resolve().parent / "data" / "library" / "sunnyfoods-recall.yaml"

pytest_plugins = ["tests.postgres"]

# Hashing with scrypt is most of the time of a web test: the suite uses a cheap method (the app,
# the command line and browser-test servers all read this setting); one test keeps the real one.
CHEAP_HASH_METHOD = "pbkdf2:sha256:1"
os.environ.setdefault("PASSWORD_HASH_METHOD", CHEAP_HASH_METHOD)


@contextmanager
def app_on(database_url: str):
    """A test app on `database_url`, its tables created; its connections closed after."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                      "SECRET_KEY": "test-secret-key", "SERVER_NAME": "sandbox.test"})
    SQLModel.metadata.create_all(app.extensions["sandbox.engine"])
    try:
        yield app
    finally:
        app.extensions["sandbox.engine"].dispose()


@pytest.fixture
def app(tmp_path):
    with app_on(f"sqlite:///{tmp_path / 'test.db'}") as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create an account: make_user("trainer", "hr", email=..., name=...)."""

    def make(*roles: str, email: str | None = None, name: str = "Sam Tester", active=True):
        roles = roles or ("trainee",)
        email = email or f"{'-'.join(roles)}@example.com"
        with Session(app.extensions["sandbox.engine"]) as session:
            user = accounts.create_user(
                session=session, email=email, name=name, password=PASSWORD, roles=roles
            )
            user.is_active = active
            session.commit()
            return user.id

    return make


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD):
        token = csrf_token_from(self._client.get("/sign-in").get_data(as_text=True))
        return self._client.post(
            "/sign-in", data={"email": email, "password": password, "csrf_token": token}
        )

    def csrf_token(self, path: str = "/dashboard") -> str:
        return csrf_token_from(self._client.get(path).get_data(as_text=True))


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def engine_for():
    """Engines opened by a test, disposed at its end: engine_for(url)."""
    engines = []

    def make(url: str):
        engine = make_engine(url)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def library(app, tmp_path):
    """The app's scenario folder: the recall scenario and its guidelines.

    The web tests count the recall's events, tests and lines, so they play a fixed copy
    (tests/data/library/, the shipped file as it was before it got denser), not the shipped
    file, which grows with the library."""
    folder = tmp_path / "scenarios"
    (folder / "guidelines").mkdir(parents=True)
    shutil.copy(LIBRARY_RECALL, folder)
    shutil.copy(SHIPPED / "guidelines" / "sunnyfoods.yaml", folder / "guidelines")
    app.config["SCENARIOS_DIR"] = str(folder)
    return folder
