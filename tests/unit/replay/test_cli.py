"""`sandbox replay` and `sandbox scenario test`, run without the web app."""

import json
import textwrap

from click.testing import CliRunner

from sandbox.cli.replay import replay_command, scenario_group
from sandbox.core.scenario import SHIPPED_SCENARIOS

SHIPPED = str(SHIPPED_SCENARIOS / "sunnyfoods-recall.yaml")


def run(command, *args):
    return CliRunner().invoke(command, list(args))


def test_replay_prints_the_feed_as_one_json_object():
    result = run(replay_command, SHIPPED, "--at", "12m", "--format", "json")
    assert result.exit_code == 0, result.output
    feed = json.loads(result.output)
    assert feed["at"] == 720 and feed["finished"] is False
    ids = [item["id"] for item in feed["items"]]
    assert "first_post" in ids and "pile_on.0" in ids
    assert any(ref.startswith("noise.") for ref in ids)


def test_replay_accepts_a_shipped_scenario_by_its_id_and_prints_readable_text():
    result = run(replay_command, "sunnyfoods-recall", "--at", "12m")
    assert result.exit_code == 0, result.output
    assert "sunnyfoods-recall at 12m of 30m (running)" in result.output
    assert "first_post no reply within 10m -> pile_on at 10m30s" in result.output
    assert "Maria Kowalski @maria_k" in result.output


def test_replay_plays_an_actions_file(tmp_path):
    actions = tmp_path / "actions.yaml"
    actions.write_text(textwrap.dedent("""\
        - {at: 3m, action: reply, event: first_post, score: 90,
           text: "Hi Maria, so sorry. Batch 22B is recalled - please DM us."}
        - {at: 4m, action: escalate, event: first_post, to: quality_team}
    """))
    result = run(replay_command, SHIPPED, "--at", "30m", "--actions", str(actions),
                 "--format", "json")
    assert result.exit_code == 0, result.output
    feed = json.loads(result.output)
    ids = [item["id"] for item in feed["items"]]
    assert "pile_on.0" not in ids and "action.0" in ids and "quality_answers.0" in ids
    assert feed["finished"] is True


def test_replay_scores_scripted_replies_with_the_scorer(tmp_path):
    actions = tmp_path / "actions.yaml"
    actions.write_text('- {at: 3m, action: reply, event: first_post, text: "calm down"}\n')
    result = run(replay_command, SHIPPED, "--at", "5m", "--actions", str(actions),
                 "--format", "json")
    assert result.exit_code == 0, result.output
    mine = next(item for item in json.loads(result.output)["items"] if item["id"] == "action.0")
    assert isinstance(mine["score"], int) and mine["score"] < 40


def test_replay_explains_a_bad_action_without_a_traceback(tmp_path):
    actions = tmp_path / "actions.yaml"
    actions.write_text("- {at: 3m, action: reply, event: firts_post, text: Hello}\n")
    result = run(replay_command, SHIPPED, "--at", "10m", "--actions", str(actions))
    assert result.exit_code == 1
    assert 'there is no event "firts_post"' in result.output
    assert 'did you mean "first_post"' in result.output
    assert "Traceback" not in result.output


def test_replay_explains_a_time_without_a_unit():
    result = run(replay_command, SHIPPED, "--at", "12")
    assert result.exit_code == 1
    assert '--at: "12" is not a duration; add a unit: 12s, 12m or 12h' in result.output


def test_replay_of_a_missing_file_exits_with_two():
    result = run(replay_command, "no/such/file.yaml", "--at", "1m")
    assert result.exit_code == 2
    assert "no such scenario file" in result.output


def test_the_shipped_scenarios_pass_their_tests():
    result = run(scenario_group, "test")
    assert result.exit_code == 0, result.output
    assert "PASS  silent trainee gets a pile-on" in result.output


SCENARIO = """\
# yaml-language-server: $schema=schema/scenario.schema.json
format: 1
id: {id}
title: A test scenario
language: en
duration: 30m
seed: 3
platform: {{network: twitter, brand: SunnyFoods, handle: SunnyFoods}}
guidelines: sunnyfoods
personas:
  maria: {{name: Maria Kowalski, handle: maria_k, followers: 12}}
  eco_watch: {{name: Eco Watch UK, handle: EcoWatchUK, followers: 88000}}
timeline:
  - id: first_post
    at: 30s
    kind: post
    from: maria
    text: Is batch 22B recalled?
    branches:
      - when: {{no_reply_within: 10m}}
        goto: pile_on
scenes:
  pile_on:
    - {{after: 0s, kind: comment, reply_to: first_post, from: eco_watch, text: Still silence.}}
tests:
{tests}
"""


def write_scenario(folder, tests: str, scenario_id: str = "cli-test"):
    path = folder / f"{scenario_id}.yaml"
    path.write_text(SCENARIO.format(id=scenario_id, tests=textwrap.indent(tests, "  ")))
    return path


def test_a_failing_scenario_test_shows_expected_against_fired(tmp_path):
    path = write_scenario(tmp_path, textwrap.dedent("""\
        - name: a quick reply avoids the pile-on
          actions: [{at: 1m, action: reply, event: first_post, text: "Hi Maria, checking now.",
                     score: 80}]
          expect_events: [first_post]
          expect_absent: [pile_on.0]
        - name: wrongly expects the pile-on after a quick reply
          actions: [{at: 1m, action: reply, event: first_post, text: "Hi Maria.", score: 80}]
          expect_events: [first_post, pile_on.0]
    """))
    result = run(scenario_group, "test", str(path))
    assert result.exit_code == 1, result.output
    assert "PASS  a quick reply avoids the pile-on" in result.output
    assert "FAIL  wrongly expects the pile-on after a quick reply" in result.output
    assert "expected but did not appear: pile_on.0" in result.output
    assert "appeared:                    first_post" in result.output
    assert "fired: no branch" in result.output
    assert "1 of 2 tests passed, 1 failed" in result.output


def test_a_scenario_test_with_an_impossible_action_is_a_clear_failure(tmp_path):
    path = write_scenario(tmp_path, textwrap.dedent("""\
        - name: replies before the post exists
          actions: [{at: 10s, action: reply, event: first_post, text: "Hi", score: 80}]
          expect_events: [first_post]
    """))
    result = run(scenario_group, "test", str(path))
    assert result.exit_code == 1
    assert '"first_post" is not visible yet (it appears at 30s)' in result.output
    assert "Traceback" not in result.output


def test_scenario_test_of_a_missing_path_exits_with_two(tmp_path):
    result = run(scenario_group, "test", str(tmp_path / "nothing"))
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_a_scenario_with_errors_cannot_be_tested_and_fails(tmp_path):
    path = write_scenario(tmp_path, "- {name: anything, expect_events: [first_postt]}\n")
    result = run(scenario_group, "test", str(path))
    assert result.exit_code == 1
    assert "cannot run its tests" in result.output
    assert "could not be tested" in result.output
    assert "Traceback" not in result.output
