"""Settings come from the environment; secrets are never hard-coded."""

import os
import stat

import pytest

from sandbox import create_app, db


def test_without_a_secret_key_one_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    instance = tmp_path / "instance"
    first = create_app({"INSTANCE_PATH": str(instance)})
    second = create_app({"INSTANCE_PATH": str(instance)})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64
    assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600
    assert first.config["DATABASE_URL"] == f"sqlite:///{instance / 'sandbox.db'}"
    for app in (first, second):
        app.extensions["sandbox.engine"].dispose()


def test_the_database_url_and_cookie_security_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    app = create_app()
    assert app.config["DATABASE_URL"].endswith("env.db")
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    app.extensions["sandbox.engine"].dispose()


def test_sqlite_runs_with_write_ahead_logging_and_foreign_keys(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_postgresql_urls_use_psycopg_3():
    engine = db.make_engine("postgresql://user:secret@db.internal/sandbox")
    assert engine.url.drivername == "postgresql+psycopg"
    engine.dispose()


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    os.umask(0o022)
    instance = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "x"})
    db.upgrade(app.config["DATABASE_URL"])
    with app.extensions["sandbox.engine"].connect() as connection:
        connection.exec_driver_sql("SELECT count(*) FROM user").scalar()
    for name in ("sandbox.db", "sandbox.db-wal", "sandbox.db-shm"):
        if (instance / name).exists():
            assert stat.S_IMODE((instance / name).stat().st_mode) == 0o600, name
    app.extensions["sandbox.engine"].dispose()


def test_sqlite_is_synchronous_full_unless_the_setting_says_otherwise(tmp_path, monkeypatch):
    def level(engine):
        with engine.connect() as connection:
            return connection.exec_driver_sql("PRAGMA synchronous").scalar()

    default = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}", "SECRET_KEY": "x"})
    assert level(default.extensions["sandbox.engine"]) == 2  # FULL
    monkeypatch.setenv("SQLITE_SYNCHRONOUS", "normal")
    normal = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}", "SECRET_KEY": "x"})
    assert level(normal.extensions["sandbox.engine"]) == 1  # NORMAL
    for app in (default, normal):
        app.extensions["sandbox.engine"].dispose()


def test_an_unknown_synchronous_level_is_refused_with_the_choices(tmp_path):
    with pytest.raises(ValueError, match="use one of OFF, NORMAL, FULL, EXTRA"):
        db.make_engine(f"sqlite:///{tmp_path / 'x.db'}", sqlite_synchronous="fast")
