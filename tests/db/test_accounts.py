"""Accounts on a migrated database, run on SQLite and on PostgreSQL."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from sandbox import accounts, db
from sandbox.models import LoginAttempt, User

PASSWORD = "long enough password"
THROTTLE = accounts.Throttle(max_per_account=3, max_per_address=5, window=timedelta(minutes=15))


@pytest.fixture
def session(database_url, engine_for):
    db.upgrade(database_url)
    with Session(engine_for(database_url), expire_on_commit=False) as session:
        yield session


def sign_in(session, email, password=PASSWORD, address="10.0.0.1"):
    return accounts.authenticate(
        session=session, email=email, password=password, address=address, throttle=THROTTLE
    )


def test_a_person_can_hold_several_roles(session):
    accounts.create_user(session=session, email="Lee@Example.com", name="Lee", password=PASSWORD,
                         roles=["trainer", "hr"])
    session.commit()
    user = accounts.find_user(session, "lee@example.com")
    assert user.role_names == {"trainer", "hr"}


def test_passwords_are_stored_as_hashes_only(session):
    accounts.create_user(session=session, email="a@example.com", name="A", password=PASSWORD,
                         roles=["trainee"])
    session.commit()
    stored = session.exec(select(User.password_hash)).one()
    assert PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_the_same_email_cannot_be_registered_twice_in_any_case(session):
    accounts.create_user(session=session, email="a@example.com", name="A", password=PASSWORD,
                         roles=["trainee"])
    with pytest.raises(accounts.AccountError, match="already exists"):
        accounts.create_user(session=session, email="A@EXAMPLE.COM", name="B", password=PASSWORD,
                             roles=["trainee"])


def test_signing_in_with_the_right_password_returns_the_person(session):
    accounts.create_user(session=session, email="a@example.com", name="A", password=PASSWORD,
                         roles=["trainee"])
    session.commit()
    assert sign_in(session, " A@example.com ").email == "a@example.com"
    assert sign_in(session, "a@example.com", "wrong password") is None


def test_a_deactivated_person_cannot_sign_in(session):
    user = accounts.create_user(session=session, email="a@example.com", name="A",
                                password=PASSWORD, roles=["trainee"])
    accounts.set_active(session=session, user=user, active=False)
    session.commit()
    assert sign_in(session, "a@example.com") is None


def test_repeated_failures_lock_the_account_for_a_while_even_with_the_right_password(session):
    accounts.create_user(session=session, email="a@example.com", name="A", password=PASSWORD,
                         roles=["trainee"])
    session.commit()
    for _ in range(THROTTLE.max_per_account):
        assert sign_in(session, "a@example.com", "guess") is None
    with pytest.raises(accounts.TooManyAttempts, match="Wait 15 minutes"):
        sign_in(session, "a@example.com")
    assert session.exec(select(LoginAttempt)).all()  # every attempt was recorded


def test_one_address_guessing_many_accounts_is_throttled(session):
    for number in range(THROTTLE.max_per_address):
        sign_in(session, f"nobody{number}@example.com", "guess")
    with pytest.raises(accounts.TooManyAttempts):
        sign_in(session, "someone-else@example.com", "guess")
    assert sign_in(session, "someone-else@example.com", "guess", address="10.9.9.9") is None


def test_changing_roles_keeps_the_ones_still_wanted(session):
    user = accounts.create_user(session=session, email="a@example.com", name="A",
                                password=PASSWORD, roles=["trainee", "hr"])
    session.commit()
    accounts.set_roles(session=session, user=user, roles=["hr", "admin"])
    session.commit()
    session.expire_all()
    assert accounts.find_user(session, "a@example.com").role_names == {"hr", "admin"}


def test_an_import_creates_every_account_with_generated_passwords_where_none_given(session):
    report = accounts.import_users_csv(session=session, text=(
        "email,name,roles,password\n"
        "ana@example.com,Ana Lopez,trainee,\n"
        "bo@example.com,Bo Chen,trainer;hr,a good password\n"
    ))
    session.commit()
    assert report.ok
    generated = dict(report.created)
    assert generated["bo@example.com"] is None and len(generated["ana@example.com"]) >= 8
    assert sign_in(session, "ana@example.com", generated["ana@example.com"])
    assert accounts.find_user(session, "bo@example.com").role_names == {"trainer", "hr"}


def test_an_import_with_a_bad_row_reports_every_problem_and_creates_nobody(session):
    report = accounts.import_users_csv(session=session, text=(
        "email,name,roles\n"
        "ana@example.com,Ana Lopez,trainee\n"
        "not-an-email,Bo Chen,trainee\n"
        "cy@example.com,Cy Diaz,manager\n"
        "ana@example.com,Ana Again,trainee\n"
    ))
    session.rollback()
    assert report.problems == [
        "line 3: 'not-an-email' is not an e-mail address",
        "line 4: unknown role 'manager'; use one or more of: trainee, trainer, hr, admin",
        "line 5: ana@example.com is already on line 2",
    ]
    assert session.exec(select(User)).all() == []


def test_an_import_without_the_needed_columns_says_which_are_missing(session):
    report = accounts.import_users_csv(session=session, text="mail,name\nx@example.com,X\n")
    assert report.problems == [
        "line 1: the header needs the columns email, name, roles (and optionally password);"
        " missing: email, roles"
    ]


def test_an_admin_cannot_remove_their_own_admin_role_or_deactivate_themselves(session):
    ada = accounts.create_user(session=session, email="ada@example.com", name="Ada",
                               password=PASSWORD, roles=["admin"])
    accounts.create_user(session=session, email="bo@example.com", name="Bo", password=PASSWORD,
                         roles=["admin"])
    session.commit()
    for roles, active in ((["trainee"], True), (["admin"], False)):
        with pytest.raises(accounts.LockOut, match="your own admin role"):
            accounts.update_account(session=session, user=ada, roles=roles, active=active,
                                    by=ada)
    assert ada.role_names == {"admin"} and ada.is_active


def test_the_last_active_administrator_cannot_be_removed_by_anyone(session):
    ada = accounts.create_user(session=session, email="ada@example.com", name="Ada",
                               password=PASSWORD, roles=["admin", "trainer"])
    session.commit()
    with pytest.raises(accounts.LockOut, match="ada@example.com is the last active admin"):
        accounts.update_account(session=session, user=ada, roles=["trainer"], active=True)
    bo = accounts.create_user(session=session, email="bo@example.com", name="Bo",
                              password=PASSWORD, roles=["admin"])
    session.commit()
    accounts.update_account(session=session, user=ada, roles=["trainer"], active=True, by=bo)
    session.commit()
    assert ada.role_names == {"trainer"}


def test_a_wrong_role_is_a_role_error_whatever_its_wording(session):
    with pytest.raises(accounts.RoleError):
        accounts.create_user(session=session, email="a@example.com", name="A",
                             password=PASSWORD, roles=["manager"])
    with pytest.raises(accounts.AccountError) as raised:
        accounts.create_user(session=session, email="not-an-email", name="Role Model",
                             password=PASSWORD, roles=["trainee"])
    assert not isinstance(raised.value, accounts.RoleError)
