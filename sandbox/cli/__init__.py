"""The `sandbox` command line (also reachable as `flask --app sandbox ...`)."""

import importlib
from collections.abc import Callable

import click
from flask.cli import FlaskGroup


def _scenario_group() -> click.Command:
    """`sandbox scenario …`: replaying, with the lifecycle and sharing commands."""
    from sandbox.cli.lifecycle import (
        archive_command,
        draft_command,
        publish_command,
        status_command,
    )
    from sandbox.cli.replay import scenario_group
    from sandbox.cli.sharing import export_command, import_command

    for command in (publish_command, archive_command, draft_command, status_command,
                    export_command, import_command):
        scenario_group.add_command(command)
    return scenario_group


# Every command the product offers, by the name it is typed as, and where it lives: `sandbox`
# imports only the command it runs, so `sandbox score` does not load the web app's modules
COMMANDS: dict[str, str | Callable[[], click.Command]] = {
    "db": "sandbox.cli.db:db_group",
    "users": "sandbox.cli.users:users_group",
    "demo": "sandbox.cli.demo:demo_command",
    "calibration": "sandbox.cli.calibration:calibration_group",
    "serve": "sandbox.cli.serve:serve_command",
    "score": "sandbox.cli.score:score_command",
    "replay": "sandbox.cli.replay:replay_command",
    "scenario": _scenario_group,
    "validate": "sandbox.cli.scenarios:validate_command",
    "schema": "sandbox.cli.scenarios:schema_command",
    "new-scenario": "sandbox.cli.scenarios:new_scenario_command",
    "rescore": "sandbox.cli.rescore:rescore_command",
    "talent": "sandbox.cli.talent:talent_group",
}


def load_command(name: str) -> click.Command:
    """The command typed as `name` (one of `COMMANDS`), its module imported."""
    where = COMMANDS[name]
    if callable(where):
        return where()
    module, attribute = where.split(":")
    return getattr(importlib.import_module(module), attribute)


def feature_commands() -> list[click.Command]:
    """Every command the product offers; the app factory adds the same list to `app.cli`."""
    return [load_command(name) for name in COMMANDS]


def _create_app():
    from sandbox import create_app

    return create_app()


class SandboxGroup(FlaskGroup):
    def __init__(self, **kwargs):
        super().__init__(create_app=_create_app, add_version_option=False, **kwargs)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS and name not in self.commands:
            self.add_command(load_command(name), name)
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        # listed even when the app cannot be loaded (its `cli` holds the same commands)
        return sorted({*super().list_commands(ctx), *COMMANDS})


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
