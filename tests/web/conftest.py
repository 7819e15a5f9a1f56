"""Fixtures the web tests share; a module that needs a trainer of its own defines `trainer`."""

import pytest


@pytest.fixture
def trainer(auth, make_user):
    """A trainer signed in on the test client (the scenario editor's pages)."""
    make_user("trainer", email="tom@example.com")
    auth.login("tom@example.com")
    return auth
