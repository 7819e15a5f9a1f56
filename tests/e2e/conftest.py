"""Browser tests: a real server on a free port, driven by Chromium through pytest-playwright."""

import os
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from sandbox import create_app, db, demo

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium when the machine has it (Playwright cannot download browsers here)."""
    args = {**browser_type_launch_args, "args": CHROMIUM_FLAGS}
    chromium = shutil.which("chromium")
    if chromium:
        args["executable_path"] = chromium
    return args


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(process: subprocess.Popen, url: str, log: Path, seconds: float = 30):
    """Readiness poll: ask the server for a page until it answers (or fail with its log)."""
    for _ in range(int(seconds / 0.1)):
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        try:
            process.wait(timeout=0.1)  # waits a moment, and notices a server that died
        except subprocess.TimeoutExpired:
            continue
        break
    raise RuntimeError(f"the test server did not start:\n{log.read_text()}")


@contextmanager
def serving(folder: Path, env: dict):
    """`sandbox serve` on a free port with the settings in `env`; yields its URL."""
    port = _free_port()
    log = folder / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "sandbox.cli", "serve", "--port", str(port), "--workers", "1"],
            env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(process, f"{url}/sign-in", log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The live server's settings and database (migrated, with the demo accounts), for a test
    that prepares data the way the server will read it: `with live_app.app_context(): ...`."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'live.db'}",
                      "SECRET_KEY": "browser-test-secret", "INSTANCE_PATH": str(folder)})
    db.upgrade(app.config["DATABASE_URL"])
    with app.app_context():
        demo.load_demo_users(db.get_session())
    yield app
    app.extensions["sandbox.engine"].dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """`sandbox serve` on a free port over the live app's database."""
    env = {"DATABASE_URL": live_app.config["DATABASE_URL"],
           "SECRET_KEY": live_app.config["SECRET_KEY"]}
    with serving(Path(live_app.instance_path), env) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture
def sign_in(page):
    def sign_in_as(email: str, password: str):
        page.goto("/sign-in")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()

    return sign_in_as
