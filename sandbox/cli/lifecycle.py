"""`sandbox scenario publish|archive|draft|status`: the library's lifecycle from the command line,
with the same rules as the web page (sandbox.lifecycle)."""

import getpass
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from sandbox import library, lifecycle
from sandbox.db import get_session


def _actor() -> str:
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):  # no name for this process's user (a bare container)
        return "command line"


def _target(name: str) -> tuple[str, str, Path]:
    """(kind, key, path) of a library file named by its path or its name without .yaml."""
    folder = Path(current_app.config["SCENARIOS_DIR"]).resolve()
    given = Path(name)
    if given.suffix in (".yaml", ".yml"):
        path = given.resolve()
        kind = lifecycle.GUIDELINES if path.parent.name == "guidelines" else lifecycle.SCENARIO
    else:
        path = folder / f"{name}.yaml"
        kind = lifecycle.SCENARIO
        if not path.is_file() and (folder / "guidelines" / f"{name}.yaml").is_file():
            path, kind = folder / "guidelines" / f"{name}.yaml", lifecycle.GUIDELINES
    home = folder / "guidelines" if kind == lifecycle.GUIDELINES else folder
    if path.parent != home:
        raise click.ClickException(f"{name} is not in the library ({folder}): the lifecycle "
                                   "is for the files the app serves (SCENARIOS_DIR).")
    if not path.is_file():
        raise click.ClickException(f"{name}: no such file in the library ({folder}).")
    return kind, path.stem, path


def _entry(path: Path) -> library.Entry:
    found = next((e for e in library.entries(path.parent) if e.path.resolve() == path), None)
    if found is None:  # entries() lists every .yaml of the folder: only a race gets here
        raise click.ClickException(f"{path.name} could not be read.")
    return found


@click.command("publish", help=(
    "Publish scenario or guidelines files of the library (by path, or by name without .yaml): "
    "trainees see them at once. Refused for a file with any error or warning, or a scenario "
    "without `tests:` or with a failing test. Exits 1 when any file was refused."))
@click.argument("names", nargs=-1, required=True, metavar="FILE...")
@with_appcontext
def publish_command(names: tuple[str, ...]) -> None:
    session, refused = get_session(), 0
    for name in names:
        kind, _, path = _target(name)
        try:
            if kind == lifecycle.SCENARIO:
                done = lifecycle.publish(session, _entry(path), _actor())
            else:
                done = lifecycle.publish_guidelines(session, path, _actor())
        except lifecycle.LifecycleError as problem:
            refused += 1
            click.echo(f"{problem}", err=True)
            for reason in problem.reasons:
                click.echo(f"  - {reason}", err=True)
            continue
        click.echo(f"{path.name}: {'published' if done else 'already published'}")
    sys.exit(1 if refused else 0)


def _change(names: tuple[str, ...], change, done_word: str) -> None:
    session = get_session()
    for name in names:
        kind, key, path = _target(name)
        done = change(session, kind, key, _actor())
        click.echo(f"{path.name}: {done_word if done else 'already ' + done_word}")


@click.command("archive", help=(
    "Archive library files: no new runs or assignments; past runs keep the version they "
    "played and their debriefs."))
@click.argument("names", nargs=-1, required=True, metavar="FILE...")
@with_appcontext
def archive_command(names: tuple[str, ...]) -> None:
    _change(names, lifecycle.archive, "archived")


@click.command("draft", help="Move library files back to draft: trainees no longer see them.")
@click.argument("names", nargs=-1, required=True, metavar="FILE...")
@with_appcontext
def draft_command(names: tuple[str, ...]) -> None:
    _change(names, lifecycle.back_to_draft, "a draft")


@click.command("status", help=(
    "List every scenario and guidelines file of the library with its state (draft, published, "
    "archived), who changed it and when. A file with no recorded state is published."))
@with_appcontext
def status_command() -> None:
    folder = Path(current_app.config["SCENARIOS_DIR"])
    known = lifecycle.states(get_session())
    rows = [(lifecycle.SCENARIO, path) for path in sorted(folder.glob("*.yaml"))]
    rows += [(lifecycle.GUIDELINES, path)
             for path in sorted((folder / "guidelines").glob("*.yaml"))]
    width = max((len(path.name) for _, path in rows), default=10)
    for kind, path in rows:
        state = known.of(kind, path.stem)
        if state.change is None:
            said = "(no state recorded)"
        else:
            said = f"by {state.change.actor_name}, {state.change.at:%Y-%m-%d %H:%M} UTC"
        where = "guidelines/" if kind == lifecycle.GUIDELINES else ""
        click.echo(f"{state.name:<10} {where + path.name:<{width + 11}} {said}")
