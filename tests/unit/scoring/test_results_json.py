"""`ReplyScore.to_json()` writes exactly what `json.dumps(score.as_json(), ensure_ascii=False)`
writes: `sandbox score` prints it, and it must not differ from the contract by one byte."""

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.cli.score import load_scenario
from sandbox.core.grading import score_event_reply
from sandbox.core.scoring import CriterionScore, Finding, ReplyScore

ROOT = Path(__file__).resolve().parents[3]
SCENARIO = load_scenario(ROOT / "scenarios" / "sunnyfoods-recall.yaml")


def _same(result: ReplyScore) -> None:
    assert result.to_json() == json.dumps(result.as_json(), ensure_ascii=False)


def test_every_verdict_line_is_written_as_json_dumps_writes_it():
    from benchmarks.evaluation import VERDICT_SETS, evaluate_verdicts, verdict_file

    for name in VERDICT_SETS[:2]:
        for outcome in evaluate_verdicts(verdict_file(name)):
            _same(outcome.result)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200) | st.sampled_from(
    ['"quoted" \\ back\\slash \n\t\r', "\x00\x1f\x7f\u2028\u2029", "😊 é ß 你好 \ud7ff",
     "sorry 22B refund within 5 working days", ""]))
def test_any_reply_is_written_as_json_dumps_writes_it(reply):
    scenario, guidelines = SCENARIO
    _same(score_event_reply(scenario=scenario, guidelines=guidelines, event_id="first_post",
                            reply=reply, after_s=120, also=("escalate",)))


def test_odd_values_are_written_as_json_dumps_writes_them():
    finding = Finding('a "quote" \\ \x00 é', "rule.\u2028", (0, 10 ** 20), "good")
    _same(ReplyScore(-3, "fail", {"agility": 0, "é\"": 100},
                     (CriterionScore("clarity", 0, (finding, Finding("", "", None))),
                      CriterionScore("length", 100, (), critical=True)),
                     explanation="\u0000\n"))
