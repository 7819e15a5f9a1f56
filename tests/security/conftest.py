"""The security suite's installation (tests/security/world.py) and clients signed in by role."""

import shutil
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from sandbox import create_app, db, library, runs
from sandbox.models import User, utcnow
from tests.conftest import SHIPPED, AuthActions
from tests.e2e.conftest import browser_type_launch_args, serving  # noqa: F401  (Chromium)
from tests.security.payloads import PAYLOADS, payload
from tests.security.world import EMAILS, PASSWORD, World, build_world, scenario_with


@pytest.fixture(scope="session")
def browser_context_args():
    """These browser tests open absolute URLs on their own server. Overriding the plugin's
    session-wide context settings here keeps them from being computed (and kept for the whole
    run) without the e2e folder's base_url, which would leave later browser tests with none."""
    return {}


@pytest.fixture
def world(app, library) -> World:
    with Session(app.extensions["sandbox.engine"]) as session:
        return build_world(session, str(library), app.config["SECRET_KEY"])


@pytest.fixture
def client_as(app):
    """client_as("trainer"): a fresh test client signed in with that role ("anonymous": not)."""

    def make(role: str):
        client = app.test_client()
        if role != "anonymous":
            response = AuthActions(client).login(EMAILS[role], PASSWORD)
            assert response.status_code == 302, f"{role} could not sign in"
        return client

    return make


def snapshot(app) -> dict[str, list]:
    """Every row of every table: two equal snapshots mean nothing was written in between."""
    with app.extensions["sandbox.engine"].connect() as connection:
        return {table.name: sorted(map(repr, connection.execute(select(table)).all()))
                for table in SQLModel.metadata.sorted_tables}


# --- the browser tests' server --------------------------------------------------------------


@dataclass
class Server:
    url: str
    world: World
    xss_run: int  # the trainee's run of the scenario whose texts are all the payloads


@pytest.fixture(scope="session")
def browser_server(tmp_path_factory):
    """A real server whose database went through the migrations and holds the world with the
    XSS payloads in every text; its scenario folder is a copy of the shipped one, plus one
    scenario per payload (title, persona) and xss-all (every payload in a post)."""
    folder = tmp_path_factory.mktemp("security")
    scenarios = folder / "scenarios"
    shutil.copytree(SHIPPED, scenarios)
    for index, text in enumerate(PAYLOADS):
        (scenarios / f"xss-{index}.yaml").write_text(scenario_with(text, f"xss-{index}"))
    (scenarios / "xss-all.yaml").write_text(scenario_with("\n".join(PAYLOADS), "xss-all"))
    env = {"DATABASE_URL": f"sqlite:///{folder / 'security.db'}",
           "SECRET_KEY": "security-browser-secret", "SCENARIOS_DIR": str(scenarios)}
    db.upgrade(env["DATABASE_URL"])
    app = create_app(dict(env))
    with Session(app.extensions["sandbox.engine"]) as session:
        world = build_world(session, str(scenarios), env["SECRET_KEY"], text=payload,
                            texts=len(PAYLOADS))
        xss_run = runs.start_run(session=session, user=session.get(User, world.users["trainee"]),
                                 entry=library.find(str(scenarios), "xss-all"), mode="practice",
                                 speed=1, now=utcnow() - timedelta(seconds=45)).id
    app.extensions["sandbox.engine"].dispose()
    with serving(folder, env) as url:
        yield Server(url, world, xss_run)


def sign_in(page, url: str, role: str) -> None:
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mail").fill(EMAILS[role])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")
