"""The `sandbox` command line for accounts, the database and the demo."""

import json
import subprocess
import sys

import click
from sqlmodel import Session, select

from sandbox import accounts
from sandbox.cli import cli, feature_commands
from sandbox.demo import DEMO_LOGINS
from sandbox.models import Cohort, FindingDispute, Run


def find(app, email):
    with Session(app.extensions["sandbox.engine"]) as session:
        user = accounts.find_user(session, email)
        return user and user.role_names


def test_every_command_has_help():
    def walk(command, path):
        yield path, command
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])

    for command in feature_commands():
        for path, sub in walk(command, [command.name]):
            assert (sub.help or "").strip(), f"`sandbox {' '.join(path)}` has no help"
    assert {c.name for c in feature_commands()} <= set(cli.list_commands(click.Context(cli)))


def test_the_scenario_command_offers_the_lifecycle_and_sharing_commands():
    scenario = cli.get_command(click.Context(cli), "scenario")
    assert {"publish", "archive", "draft", "status", "export", "import"} <= set(scenario.commands)


def test_scoring_a_reply_from_the_command_line_loads_neither_the_web_app_nor_the_database():
    # `sandbox score` is called once per reply by other tools: it imports only the scorer
    heavy = ("sqlmodel", "sandbox.web", "sandbox.runs", "sandbox.calibration", "numpy")
    code = ("import sys\nfrom sandbox.cli import cli\n"
            "cli.main(['score', '--post', 'Where is my parcel?', '--reply', 'Sorry! Tracking "
            "says Friday.'], standalone_mode=False)\n"
            f"print([m for m in {heavy!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert json.loads(done.stdout.splitlines()[0])["verdict"] in {"pass", "coach", "fail"}
    assert done.stdout.splitlines()[-1] == "[]"


def test_an_admin_creates_an_account_from_the_command_line(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "Ana@Example.com", "--name",
                                 "Ana Lopez", "--role", "trainer", "--role", "hr",
                                 "--password", "long enough"])
    assert result.exit_code == 0, result.output
    assert "Created ana@example.com (hr, trainer)." in result.output
    assert find(app, "ana@example.com") == {"trainer", "hr"}


def test_creating_an_account_with_a_short_password_explains_why_it_failed(runner):
    result = runner.invoke(args=["users", "create", "--email", "a@example.com", "--name", "A",
                                 "--role", "trainee", "--password", "short"])
    assert result.exit_code == 1
    assert "Error: the password needs at least 8 characters" in result.output
    assert "Traceback" not in result.output


def test_importing_a_csv_creates_everyone_and_prints_generated_passwords(app, runner, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("email,name,roles\nana@example.com,Ana Lopez,trainee\n"
                      "bo@example.com,Bo Chen,trainer;hr\n")
    result = runner.invoke(args=["users", "import", str(people)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 account(s)" in result.output
    assert "ana@example.com  first password: " in result.output
    assert find(app, "bo@example.com") == {"trainer", "hr"}


def test_importing_a_csv_with_bad_rows_lists_them_and_imports_nothing(app, runner, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("email,name,roles\nana@example.com,Ana Lopez,trainee\n"
                      "bo@example,Bo Chen,trainee\n")
    result = runner.invoke(args=["users", "import", str(people)])
    assert result.exit_code == 1
    assert "Nothing imported: 1 problem(s)" in result.output
    assert "line 3: 'bo@example' is not an e-mail address" in result.output
    assert find(app, "ana@example.com") is None


def test_the_demo_command_migrates_adds_the_demo_logins_once_and_prints_them(tmp_path):
    from sandbox import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "SECRET_KEY": "x"})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert first.exit_code == second.exit_code == 0, first.output
    assert "(10 new, 36 runs added)" in first.output
    assert "(0 new, 0 runs added)" in second.output
    for login in DEMO_LOGINS:
        assert f"{login.email}" in first.output and login.password in first.output
        assert find(app, login.email) == set(login.roles)
    with Session(app.extensions["sandbox.engine"]) as session:
        runs = session.exec(select(Run)).all()
        assert all(run.finished_at and run.result for run in runs)
        assert len({run.overall for run in runs}) > 5  # trainees of different strength
        reviewed = [run for run in runs if run.reviews]
        assert len(reviewed) == 21  # a practice run and two exams each; the newest wait
        assert sum(run.mode == "exam" for run in runs) == 22
        assert sum(bool(run.voids) for run in runs) == 1
        assert {r.reviews[0].reviewer_name for r in reviewed} == {"Taylor Trainer"}
        assert sum(r.reviews[0].decision == "overridden" for r in reviewed) == 2
        assert len(session.exec(select(FindingDispute)).all()) == 3  # for the Calibration page
        [cohort] = session.exec(select(Cohort)).all()
        assert len(cohort.members) == 7 and len(cohort.assignments) == 2
    app.extensions["sandbox.engine"].dispose()


def test_rescore_regrades_the_demo_history_only_when_the_scorer_changed(tmp_path):
    from sandbox import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "SECRET_KEY": "x"})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    with Session(app.extensions["sandbox.engine"]) as session:
        run = session.exec(select(Run).where(Run.finished_at.is_not(None))).first()
        run.scorer_version, kept, run_id = "0.9.0", run.overall, run.id
        session.add(run)
        session.commit()
    dry = runner.invoke(args=["rescore", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would re-grade 1 of 36 finished runs; 0 change score." in dry.output
    done = runner.invoke(args=["rescore"])
    assert "Re-graded 1 of 36 finished runs" in done.output
    assert "Re-graded 0 of 36" in runner.invoke(args=["rescore"]).output
    with Session(app.extensions["sandbox.engine"]) as session:
        assert session.get(Run, run_id).overall == kept


def test_an_admin_sets_a_password_or_prints_a_reset_link_from_the_command_line(app, runner):
    runner.invoke(args=["users", "create", "--email", "ana@example.com", "--name", "Ana Lopez",
                        "--role", "trainee", "--password", "long enough"])
    done = runner.invoke(args=["users", "set-password", "ana@example.com"],
                         input="a newer password\na newer password\n")
    assert done.exit_code == 0 and "New password set for ana@example.com." in done.output
    short = runner.invoke(args=["users", "set-password", "ana@example.com", "--password", "x"])
    assert short.exit_code == 1 and "at least 8 characters" in short.output
    link = runner.invoke(args=["users", "reset-link", "ana@example.com"])
    assert link.exit_code == 0 and link.output.startswith("/reset/")
    unknown = runner.invoke(args=["users", "reset-link", "nobody@example.com"])
    assert unknown.exit_code == 1 and "no account with the e-mail nobody@example.com" in \
        unknown.output


def test_running_the_demo_again_regrades_history_left_by_an_older_scorer(tmp_path):
    from sandbox import create_app
    from sandbox.core.scoring import SCORER_VERSION

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "SECRET_KEY": "x"})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    with Session(app.extensions["sandbox.engine"]) as session:
        for run in session.exec(select(Run)).all()[:5]:
            run.scorer_version, run.overall = "1.1.0", 1
            session.add(run)
        session.commit()
    again = runner.invoke(args=["demo"])
    assert f"(0 new, 0 runs added, 5 re-graded by scorer {SCORER_VERSION})" in \
        again.output
    with Session(app.extensions["sandbox.engine"]) as session:
        assert {run.scorer_version for run in session.exec(select(Run)).all()} == {
            SCORER_VERSION}
