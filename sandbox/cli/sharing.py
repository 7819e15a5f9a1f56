"""`sandbox scenario export|import`: a scenario with its guidelines as one file (sandbox.bundles),
with the same checks as the library's Import page."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from sandbox import bundles, scenario_files
from sandbox.cli.lifecycle import _actor, _entry, _target
from sandbox.db import get_session


@click.command("export", help=(
    "Write scenario NAME of the library (by path, or by name without .yaml) and its guidelines "
    "as one bundle file, to import in another installation (`sandbox scenario import`). "
    "Without -o, the bundle is printed. An existing output file is kept unless --force."))
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help=f"Where to write the bundle, e.g. recall{bundles.SUFFIX}.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@with_appcontext
def export_command(name: str, output: Path | None, force: bool) -> None:
    kind, _, path = _target(name)
    if kind != "scenario":
        raise click.ClickException(f"{name} is a guidelines file: export the scenario that uses "
                                   "it, and its guidelines travel with it.")
    text = bundles.export_text(_entry(path))
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise click.ClickException(f"{output} already exists: choose another name, or add "
                                   "--force to replace it.")
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"{output} could not be written "
                                   f"({(error.strerror or 'refused').lower()}).") from None
    click.echo(f"{path.name} exported to {output}")


@click.command("import", help=(
    "Add the scenario of a bundle FILE (made by `sandbox scenario export` or a scenario's Export "
    "button) to the library as a draft, with its guidelines as a draft when they are new. "
    "Nothing is replaced: a file name or scenario id already in the library is refused. "
    "Exits 1 when the bundle was not imported."))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def import_command(file: Path) -> None:
    try:
        with file.open("rb") as handle:
            data = handle.read(bundles.MAX_BYTES + 1)
    except OSError as error:
        raise click.ClickException(f"cannot read {file}: "
                                   f"{(error.strerror or 'refused').lower()}") from None
    folder = Path(current_app.config["SCENARIOS_DIR"])
    try:
        imported = bundles.import_bundle(get_session(), folder, data, actor=_actor(),
                                         source=file.name)
    except scenario_files.Refused as refusal:
        click.echo(str(refusal), err=True)
        for reason in getattr(refusal, "reasons", ()):
            click.echo(f"  {reason}", err=True)
        sys.exit(1)
    click.echo(f"{imported.scenario.name}: imported as a draft")
    if imported.guidelines is not None:
        click.echo(f"guidelines/{imported.guidelines.name}: "
                   + ("imported as a draft" if imported.guidelines_new
                      else "already in the library, identical: used as it is"))
    if imported.warnings:
        click.echo(f"{imported.warnings} warning{'s' if imported.warnings != 1 else ''}: "
                   f"see `sandbox validate {folder / imported.scenario.name}`")
    click.echo(f"Publish it with `sandbox scenario publish {imported.scenario.stem}` "
               "once it is ready.")
