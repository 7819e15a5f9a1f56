"""`sandbox validate`, `sandbox schema`, `sandbox new-scenario`: scenario files, no app needed."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from sandbox.core.scenario import (
    SHIPPED_SCENARIOS,
    render_github,
    render_json,
    render_text,
    summary_line,
    validate_paths,
)
from sandbox.core.scenario.schema import schema_texts
from sandbox.core.scenario.starter import starter_text


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="How to print the findings.",
)
def validate_command(paths: tuple[str, ...], strict: bool, output: str) -> None:
    """Check scenario and guidelines files (or every .yaml file under a folder).

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 a path cannot be read.
    """
    report = validate_paths(paths)
    if output == "json":
        click.echo(render_json(report.diagnostics), nl=False)
    elif output == "github":
        click.echo(render_github(report.diagnostics), nl=False)
        click.echo(summary_line(len(report.files), report.diagnostics), err=True)
    else:
        text = render_text(report.diagnostics, report.sources)
        if text:
            click.echo(text)
        click.echo(summary_line(len(report.files), report.diagnostics))
    sys.exit(report.exit_code(strict=strict))


@click.command("schema")
@click.option(
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=SHIPPED_SCENARIOS / "schema",
    show_default="scenarios/schema",
    help="Folder to write the JSON Schemas into.",
)
def schema_command(output_dir: Path) -> None:
    """Write the JSON Schemas editors use to check and complete scenario files."""
    output_dir.mkdir(parents=True, exist_ok=True)
    for name, text in schema_texts().items():
        (output_dir / name).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output_dir / name}")


@click.command("new-scenario")
@click.argument("slug")
@click.option(
    "--platform", type=click.Choice(["twitter", "facebook"]), default="twitter", show_default=True
)
@click.option("--language", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@click.option(
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=SHIPPED_SCENARIOS,
    show_default="scenarios",
    help="Folder for the new file.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new_scenario_command(
    slug: str, platform: str, language: str, output_dir: Path, force: bool
) -> None:
    """Write a commented starter scenario SLUG.yaml that validates cleanly."""
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", slug):
        raise click.BadParameter(
            "use lower-case letters, digits, `_` and `-`, starting with a "
            "letter (e.g. late-delivery)",
            param_hint="SLUG",
        )
    target = output_dir / f"{slug}.yaml"
    if target.exists() and not force:
        raise click.ClickException(f"{target} already exists; choose another name or use --force")
    output_dir.mkdir(parents=True, exist_ok=True)
    schema_file = SHIPPED_SCENARIOS / "schema" / "scenario.schema.json"
    if output_dir.absolute().is_relative_to(SHIPPED_SCENARIOS.parent):
        schema = Path(os.path.relpath(schema_file, output_dir.absolute())).as_posix()
    else:  # outside the repository a relative path would be fragile
        schema = schema_file.as_posix()
    target.write_text(
        starter_text(
            slug,
            platform=platform,
            language=language,
            schema=schema,
            filename=str(target),
        ),
        encoding="utf-8",
    )
    click.echo(f"wrote {target}\ncheck it with: sandbox validate {target}")
