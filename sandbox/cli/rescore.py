"""`sandbox rescore`: re-grade finished runs after the scorer or the guidelines changed."""

import click
from flask import current_app
from flask.cli import with_appcontext

from sandbox import rescoring
from sandbox.core.scoring import SCORER_VERSION
from sandbox.db import get_session


@click.command(
    "rescore",
    help=f"Re-grade finished runs graded by another scorer version (this one: {SCORER_VERSION}). "
         "Trainers' reviews are kept; the scores actions got during play (which decided the "
         "branches) are not changed.",
)
@click.option("--current-guidelines", is_flag=True,
              help="Also re-grade runs whose scenario's guidelines file changed since they were "
                   "played, against the current file.")
@click.option("--all", "everything", is_flag=True, help="Re-grade every finished run.")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option("--summaries", is_flag=True,
              help="Also rebuild the summary of every finished run that the trainer and HR "
                   "pages read (after editing the database by hand or filling it in bulk).")
@with_appcontext
def rescore_command(current_guidelines: bool, everything: bool, dry_run: bool,
                    summaries: bool) -> None:
    folder = current_app.config["SCENARIOS_DIR"] if current_guidelines else None
    report = rescoring.rescore(get_session(), scenarios_dir=folder, everything=everything,
                               dry_run=dry_run, summaries=summaries)
    verb = "Would re-grade" if dry_run else "Re-graded"
    click.echo(f"{verb} {len(report.regraded)} of {report.finished} finished runs; "
               f"{len(report.changed)} change score.")
    for item in report.changed[:50]:
        click.echo(f"  run {item.run_id} ({item.scenario_id}): {item.before} -> {item.after}"
                   f"  [{item.reason}]")
    if len(report.changed) > 50:
        click.echo(f"  ...and {len(report.changed) - 50} more.")
    for run_id, why in report.skipped:
        click.echo(f"  run {run_id} kept its guidelines: {why}.")
    if summaries and not dry_run:
        click.echo(f"Rebuilt the summaries of {report.summarised} finished runs.")
