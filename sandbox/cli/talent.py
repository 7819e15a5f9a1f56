"""`sandbox talent fairness`: whether scores depend on a scenario's language or a reply's
length, once the person and the difficulty are accounted for."""

import click
from flask import current_app
from flask.cli import with_appcontext

from sandbox import fairness
from sandbox.db import get_session
from sandbox.evidence import EvidenceRules


@click.group("talent", help="Checks of the talent board's evidence.")
def talent_group() -> None:
    pass


@talent_group.command(
    "fairness",
    help="Over the counted exam runs: the difference of residual scores between English and "
         "French scenarios, and the correlation of a reply's residual score with its length "
         "within the channel's limit, with 95% intervals and counts (docs/talent.md).",
)
@with_appcontext
def fairness_command() -> None:
    found = fairness.fairness(get_session(),
                              rules=EvidenceRules.from_config(current_app.config))
    for line in fairness.sentences(found):
        click.echo(line)
