"""One reply, one score: what the practice page stores for an action is exactly what
`sandbox score` prints for the same reply to the same event after the same delay.

Every event of every shipped scenario that expects something and shows up in a run (by the
script, or after a silence), with every action that sends a text the network allows on it.
"""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from sandbox import library, runs
from sandbox.cli.score import score_command
from sandbox.core.grading import TEXT_ACTIONS
from sandbox.core.replay import compile_scenario, expected_replies
from sandbox.core.vocabulary import ACTIONS_ON
from sandbox.models import utcnow
from tests.db.test_reviews import person, session  # noqa: F401

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
DELAY = 75  # simulated seconds between the event appearing and the reply
TEXTS = {"en": "Hi, we're so sorry about this. Please DM us and we'll sort it out today.",
         "fr": "Bonjour, nous sommes désolés. Écrivez-nous en message privé, nous réglons "
               "cela aujourd'hui."}


def attempts():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        entry = library.find(SCENARIOS, path.stem)
        compiled = compile_scenario(entry.scenario)
        silent = expected_replies(compiled, at=compiled.duration, actions=[])
        for expected in silent:
            if expected.shown_at + DELAY > compiled.duration:
                continue
            kind = compiled.events[expected.event].kind
            for action in TEXT_ACTIONS:
                if action in ACTIONS_ON.get(kind, ()):
                    yield path, expected.event, expected.shown_at, action


CASES = list(attempts())


def test_the_path_check_covers_every_shipped_scenario_and_every_text_action():
    assert {path.stem for path, *_ in CASES} == {p.stem for p in SCENARIOS.glob("*.yaml")}
    assert {action for *_, action in CASES} == set(TEXT_ACTIONS)
    assert len(CASES) >= 120


def test_the_web_app_and_the_command_line_give_the_same_json_for_every_event(session):  # noqa: F811
    trainee = person(session, "tess@example.com", "trainee")
    cli = CliRunner()
    mismatches = []
    for path, event, shown_at, action in CASES:
        entry = library.find(SCENARIOS, path.stem)
        text = TEXTS[entry.scenario.language]
        start = utcnow() - timedelta(hours=2)
        run = runs.start_run(session=session, user=trainee, entry=entry, mode="exam", speed=1,
                             now=start)
        recorded = runs.record_action(session=session, run=run, key=f"{event}-{action}",
                                      action=action, event=event, text=text,
                                      dm=text if action == "move_to_dm" else None,
                                      now=start + timedelta(seconds=shown_at + DELAY))
        printed = cli.invoke(score_command, [
            "--scenario", str(path), "--event", event, "--reply", text,
            "--after", f"{DELAY}s", "--action", action, "--format", "json"])
        assert printed.exit_code == 0, printed.output
        if json.loads(printed.output) != recorded.action.score:
            mismatches.append(f"{path.stem}:{event}:{action}")
    assert mismatches == []


@pytest.mark.parametrize("action", ["reply", "escalate"])
def test_a_reply_stored_by_the_web_app_carries_the_scorer_version(session, action):  # noqa: F811
    trainee = person(session, "tess@example.com", "trainee")
    path, event, shown_at, _ = next(c for c in CASES if c[0].stem == "sunnyfoods-recall")
    start = utcnow() - timedelta(hours=2)
    run = runs.start_run(session=session, user=trainee, entry=library.find(SCENARIOS, path.stem),
                         mode="exam", speed=1, now=start)
    recorded = runs.record_action(session=session, run=run, key="k", action=action,
                                  event=event, text=TEXTS["en"],
                                  now=start + timedelta(seconds=shown_at + DELAY))
    assert recorded.action.score["scorer"] == recorded.action.scorer_version


def test_no_caller_grades_a_reply_without_going_through_the_one_path():
    """core/grading.py is the only place outside the scorer that builds an Attempt or calls
    the scorer: the web app, the command line, rescoring and scripted runs import it."""
    package = Path(__file__).resolve().parents[2] / "sandbox"
    allowed = {package / "core" / "grading.py"}
    calls = re.compile(r"\b(?:score_attempt|score_reply|score_run|Attempt)\(")
    offenders = [
        str(path.relative_to(package)) for path in package.rglob("*.py")
        if path not in allowed and "core/scoring" not in path.as_posix()
        and calls.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
