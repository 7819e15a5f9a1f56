"""The database's limits hold on SQLite as on PostgreSQL, and a failed statement never breaks
the error page; on both databases."""

import pytest
from sqlalchemy import text
from sqlmodel import Session

from sandbox import accounts, create_app, db
from sandbox.db import LimitExceeded, get_session
from sandbox.models import Cohort, Invitation, utcnow
from tests.conftest import PASSWORD, AuthActions


@pytest.fixture
def session(database_url, engine_for):
    db.upgrade(database_url)
    with Session(engine_for(database_url), expire_on_commit=False) as session:
        yield session


@pytest.mark.parametrize(("row", "message"), [
    (lambda: Cohort(name="x" * 121), "The cohort name is 121 characters long; at most 120 fit"),
    (lambda: Cohort(name="Spring\x00"), "The cohort name contains a NUL character"),
    (lambda: Invitation(cohort_id=1, email="a" * 250 + "@x.io", token_hash="t",
                        expires_at=utcnow()),
     "The invitation e-mail address is 255 characters long; at most 254 fit"),
])
def test_values_the_columns_cannot_hold_are_refused_on_every_database(session, row, message):
    session.add(row())
    with pytest.raises(LimitExceeded, match=message):
        session.flush()
    session.rollback()


def test_a_failed_statement_is_rolled_back_before_the_error_page_is_drawn(database_url):
    db.upgrade(database_url)
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "x",
                      "SERVER_NAME": "sandbox.test"})

    @app.get("/broken")
    def broken():
        get_session().exec(text("SELECT * FROM no_such_table"))

    with app.app_context():
        accounts.create_user(session=get_session(), email="tess@example.com", name="Tess Lee",
                             password=PASSWORD, roles=["trainee"])
        get_session().commit()
    browser = app.test_client()
    AuthActions(browser).login("tess@example.com")
    response = browser.get("/broken")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert "Tess Lee" in page  # the layout read the signed-in person after the failure
    app.extensions["sandbox.engine"].dispose()
