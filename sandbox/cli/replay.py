"""`sandbox replay` (the feed at a moment) and `sandbox scenario test` (the scenarios' tests)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sandbox.core.replay import Feed, ReplayError, actions_from_records, feed_at
from sandbox.core.replay.scripted import (
    TestOutcome,
    fill_scores,
    run_scenario_tests,
)
from sandbox.core.replay.summary import describe_condition
from sandbox.core.scenario import (
    SHIPPED_SCENARIOS,
    DurationError,
    ScenarioLoad,
    format_duration,
    load_scenario,
    parse_duration,
    render_text,
)
from sandbox.core.vocabulary import ACTION_NAMES

SCORES_HELP = (
    "Replies and DMs without a `score:` are graded by the scorer against the scenario's "
    "guidelines; when the guidelines are not available they get no score, and the "
    "score-based branches (reply_score_below, reply_score_at_least) do not fire for them."
)


class CommandError(click.ClickException):
    """Printed as `error: ...` with exit code 1 (2 for a path that cannot be read)."""

    def __init__(self, message: str, *, code: int = 1):
        super().__init__(message)
        self.exit_code = code

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def _load(reference: str) -> ScenarioLoad:
    """A scenario by path, or by id among the shipped scenarios."""
    path = Path(reference)
    if not path.exists() and (SHIPPED_SCENARIOS / f"{reference}.yaml").is_file():
        path = SHIPPED_SCENARIOS / f"{reference}.yaml"
    if not path.is_file():
        raise CommandError(f'cannot read "{reference}": no such scenario file', code=2)
    loaded = load_scenario(path)
    if not loaded.ok:
        errors = [d for d in loaded.diagnostics if d.severity == "error"]
        click.echo(render_text(errors, loaded.sources), err=True)
        raise CommandError(f"{path} has errors; fix them first (see `sandbox validate {path}`)")
    return loaded


def _read_actions(path: str):
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise CommandError(f'cannot read the actions file "{path}": {reason}', code=2) from None
    try:
        records = YAML(typ="safe", pure=True).load(text)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        raise CommandError(f"{where}: not valid YAML ({getattr(error, 'problem', None) or error})"
                           ) from None
    try:
        return actions_from_records(records or [], where=f"{path}: action")
    except ReplayError as error:
        raise CommandError(str(error)) from None


@click.command("replay", help=(
    "Print what the trainee would see in SCENARIO (a file, or the id of a shipped scenario) at "
    "simulated time --at, after the scripted actions of --actions.\n\n"
    "The actions file is a YAML list such as `- {at: 3m, action: reply, event: first_post, "
    f"text: \"...\"}}` (action: {', '.join(ACTION_NAMES[:-1])} or {ACTION_NAMES[-1]}; "
    "`to:` names the expert for escalate; `score:` 0-100 sets a reply's score). " + SCORES_HELP))
@click.argument("scenario")
@click.option("--at", "at_text", required=True, metavar="TIME",
              help="Simulated time since the start, with a unit: 30s, 12m, 1h.")
@click.option("--actions", "actions_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="YAML list of the trainee's actions, in order.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A readable feed, or one JSON object.")
def replay_command(scenario: str, at_text: str, actions_path: str | None, output: str) -> None:
    try:
        at = parse_duration(at_text)
    except DurationError as error:
        raise CommandError(f"--at: {error.message}" + (f"; {error.hint}" if error.hint else "")
                           ) from None
    loaded = _load(scenario)
    actions = _read_actions(actions_path) if actions_path else []
    try:
        actions = fill_scores(loaded.scenario, loaded.guidelines, actions)
        feed = feed_at(loaded.scenario, at=at, actions=actions)
    except ReplayError as error:
        raise CommandError(str(error)) from None
    if output == "json":
        click.echo(json.dumps(feed.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_feed(loaded.scenario, feed))


def render_feed(scenario, feed: Feed) -> str:
    state = "finished" if feed.finished else "running"
    lines = [f"{scenario.id} at {format_duration(feed.at)} of {format_duration(scenario.duration)}"
             f" ({state}) - {len(feed.items)} items"]
    for branch in feed.fired:
        lines.append(f"  branch: {branch.event} {describe_condition(branch)} -> {branch.goto} "
                     f"at {format_duration(branch.at)}")
    lines.append("")
    for item in feed.items:
        head = f"{format_duration(item['at']):>8}  {item['stream']:<4}  {item['name']}"
        if item.get("handle") and item["stream"] != "team":
            head += f" @{item['handle']}"
        head += f"  [{item['id']}"
        on = f" on {item['reply_to']}" if item["reply_to"] else ""
        head += f" {item['kind']}{on}]"
        if item.get("hidden"):
            head += " (hidden)"
        lines.append(head)
        for text_line in (item["text"] or "").splitlines() or [""]:
            lines.append(f"{'':10}  {text_line}")
        numbers = item.get("engagement") or {}
        if numbers:
            lines.append(f"{'':10}  {_count(numbers['likes'], 'like')} · "
                         f"{_count(numbers['shares'], 'share')} · "
                         f"{_count(numbers['replies'], 'reply', 'replies')} · "
                         f"{_count(numbers['views'], 'view')} · "
                         f"heat {numbers['heat']} "
                         f"({numbers['heat_level']})" + (" · liked" if item.get("liked") else ""))
        if item.get("score") is not None:
            lines.append(f"{'':10}  score {item['score']}")
    return "\n".join(lines)


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


@click.group("scenario", help="Work with scenario files: run their scripted tests.")
def scenario_group() -> None:
    pass


def _scenario_files(paths: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for raw in paths or (str(SHIPPED_SCENARIOS),):
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir()
                                if p.suffix in (".yaml", ".yml") and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f'cannot read "{raw}": no such file or folder', code=2)
    return files


@scenario_group.command("test", help=(
    "Run the `tests:` of each scenario in PATH (files or folders; default: the shipped "
    "scenarios/ folder). Each test plays its scripted actions to the end (or its `at:`) and "
    "checks that every event of `expect_events` appeared and none of `expect_absent` did. "
    "Exits 1 when a test fails or a scenario has errors, 2 when a path cannot be read. "
    + SCORES_HELP))
@click.argument("paths", nargs=-1, metavar="[PATH]...")
def scenario_test_command(paths: tuple[str, ...]) -> None:
    files = _scenario_files(paths)
    failed = passed = broken = 0
    for path in files:
        loaded = load_scenario(path)
        if not loaded.ok:
            broken += 1
            errors = [d for d in loaded.diagnostics if d.severity == "error"]
            click.echo(f"{path}: cannot run its tests, the scenario has "
                       f"{len(errors)} error{'s' * (len(errors) != 1)}")
            click.echo(render_text(errors, loaded.sources))
            continue
        tests = loaded.scenario.tests
        if not tests:
            click.echo(f"{path}: no tests")
            continue
        click.echo(f"{path}")
        for outcome in run_scenario_tests(loaded.scenario, guidelines=loaded.guidelines):
            passed += outcome.passed
            failed += not outcome.passed
            click.echo(_render_outcome(outcome))
    summary = f"{passed} of {passed + failed} tests passed"
    if failed:
        summary += f", {failed} failed"
    if broken:
        summary += f"; {broken} scenario{'s' * (broken != 1)} could not be tested"
    click.echo(("\n" if passed + failed else "") + summary)
    sys.exit(1 if failed or broken else 0)


def _render_outcome(outcome: TestOutcome) -> str:
    if outcome.passed:
        return f"  PASS  {outcome.name}"
    lines = [f"  FAIL  {outcome.name}"]
    if outcome.error:
        lines.append(f"        error: {outcome.error}")
        return "\n".join(lines)
    lines.append(f"        at {format_duration(outcome.at)}")
    if outcome.missing:
        lines.append(f"        expected but did not appear: {', '.join(outcome.missing)}")
    if outcome.unexpected:
        lines.append(f"        appeared but should not:     {', '.join(outcome.unexpected)}")
    lines.append(f"        appeared:                    {', '.join(outcome.visible) or 'nothing'}")
    if outcome.fired:
        for branch in outcome.fired:
            lines.append(f"        fired: {branch.event} {describe_condition(branch)} -> "
                         f"{branch.goto} at {format_duration(branch.at)}")
    else:
        lines.append("        fired: no branch")
    return "\n".join(lines)
