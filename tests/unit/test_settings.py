"""Settings come from the environment; secrets are never hard-coded."""

import stat

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
