"""The `sandbox` command line (also reachable as `flask --app sandbox ...`)."""

import click
from flask.cli import FlaskGroup


def feature_commands() -> list[click.Command]:
    """Every command the product offers; the app factory adds the same list to `app.cli`."""
    from sandbox.cli.calibration import calibration_group
    from sandbox.cli.db import db_group
    from sandbox.cli.demo import demo_command
    from sandbox.cli.lifecycle import (
        archive_command,
        draft_command,
        publish_command,
        status_command,
    )
    from sandbox.cli.replay import replay_command, scenario_group
    from sandbox.cli.rescore import rescore_command
    from sandbox.cli.scenarios import new_scenario_command, schema_command, validate_command
    from sandbox.cli.score import score_command
    from sandbox.cli.serve import serve_command
    from sandbox.cli.sharing import export_command, import_command
    from sandbox.cli.talent import talent_group
    from sandbox.cli.users import users_group

    for command in (publish_command, archive_command, draft_command, status_command,
                    export_command, import_command):
        scenario_group.add_command(command)
    return [db_group, users_group, demo_command, calibration_group, serve_command, score_command,
            replay_command, scenario_group, validate_command, schema_command,
            new_scenario_command, rescore_command, talent_group]


def _create_app():
    from sandbox import create_app

    return create_app()


class SandboxGroup(FlaskGroup):
    def __init__(self, **kwargs):
        super().__init__(create_app=_create_app, add_version_option=False, **kwargs)
        for command in feature_commands():
            self.add_command(command)


@click.group(
    cls=SandboxGroup,
    help="Community Sandbox: practise answering customers on social media.",
)
def cli():
    pass


def main() -> None:
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from sandbox.config import SettingError

    try:
        cli(prog_name="sandbox")
    except SettingError as problem:
        raise SystemExit(f"Error: {problem}.") from None
    except (OperationalError, ProgrammingError) as problem:
        # a database that was never migrated, or that cannot be reached: say what to do
        if "no such table" in str(problem) or "does not exist" in str(problem):
            advice = "The database is not set up yet: run `sandbox db upgrade` (or `sandbox demo`)."
        else:
            advice = f"The database cannot be used: {str(problem.orig).strip()[:300]}"
        raise SystemExit(f"Error: {advice}") from None
