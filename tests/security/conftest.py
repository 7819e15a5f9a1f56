"""The security suite's installation (tests/security/world.py) and clients signed in by role."""

import pytest
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from tests.conftest import AuthActions
from tests.security.world import EMAILS, PASSWORD, World, build_world


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
