"""`sandbox calibration export`: the replies trainers disputed, as scorer test data."""

import json

import click
from flask.cli import with_appcontext

from sandbox import calibration
from sandbox.db import get_session


@click.group("calibration", help="How often trainers agree with the scorer.")
def calibration_group() -> None:
    pass


@calibration_group.command(
    "export",
    help="Write the replies trainers disputed (a finding marked wrong, a criterion score too high "
         "or too low) as JSON lines in the format of the scorer benchmark's verdict sets "
         "(tests/data/scorer/verdicts/README.md), with the trainer's label. Replies no trainer "
         "labelled good, weak or harmful are left out and counted on standard error.",
)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              show_default=True, help="The file to write ('-': standard output).")
@click.option("--scorer", metavar="VERSION", help="Only disputes of this scorer version.")
@with_appcontext
def export_command(output, scorer: str | None) -> None:
    found = calibration.export_lines(get_session(), scorer=scorer)
    for line in found.lines:
        output.write(json.dumps(line, ensure_ascii=False) + "\n")
    note = f"{len(found.lines)} disputed repl{'y' if len(found.lines) == 1 else 'ies'} written"
    if found.unlabelled:
        note += (f"; {found.unlabelled} left out because no trainer said whether the reply is "
                 f"good, weak or harmful")
    click.echo(note + ".", err=True)
