import json
import multiprocessing

import pytest
from click.testing import CliRunner

from sandbox.cli.score import score_command
from tests.unit.scoring.conftest import DATA

SCENARIO = str(DATA / "recall-scenario.yaml")
GOOD = ("Hi Maria, we're so sorry she's unwell. Batch 22B is part of this morning's recall. "
        "Please DM us so we can arrange a refund. Your safety is our priority.\n- Sam")


def run(*args, stdin=None):
    return CliRunner().invoke(score_command, list(args), input=stdin)


def test_scoring_a_scenario_event_prints_the_contract_json():
    result = run("--scenario", SCENARIO, "--event", "first_post", "--reply", GOOD,
                 "--after", "4m", "--action", "reply")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scorer"] == "2.5.1" and data["verdict"] == "pass"
    timeliness = next(c for c in data["criteria"] if c["id"] == "timeliness")
    assert timeliness["findings"][0]["message"] == "Replied after 4m; expected within 10m."


def test_escalating_sends_the_text_to_the_expert_and_satisfies_the_action():
    result = run("--scenario", SCENARIO, "--event", "first_post", "--reply",
                 "Parent reports illness after batch 22B, please call her.", "--action",
                 "escalate")
    data = json.loads(result.stdout)
    action = next(c for c in data["criteria"] if c["id"] == "action")
    assert action["score"] == 100
    assert not any(c["id"] in ("voice", "customer_focus") for c in data["criteria"])


def test_an_ad_hoc_post_uses_the_default_guidelines_in_text_format():
    result = run("--post", "My parcel is 6 days late!", "--reply",
                 "Hi, sorry about the wait. Please DM us and we'll chase it today.",
                 "--format", "text")
    assert result.exit_code == 0
    assert result.stdout.startswith("Overall ")
    assert "resolution" in result.stdout and "+ Moves the conversation" in result.stdout


def test_french_ad_hoc_posts_use_the_french_default_guidelines():
    result = run("--post", "Colis toujours pas arrivé", "--reply",
                 "Bonjour, désolés ! Écrivez-nous en message privé.", "--language", "fr")
    data = json.loads(result.stdout)
    assert next(c for c in data["criteria"] if c["id"] == "empathy")["score"] > 0


def test_an_unknown_event_is_a_clear_error_without_a_traceback():
    result = run("--scenario", SCENARIO, "--event", "nope", "--reply", "Hi")
    assert result.exit_code == 1
    assert 'no event "nope"' in result.output and "Traceback" not in result.output


def test_an_unreadable_guidelines_file_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\nid: [unclosed\n", encoding="utf-8")
    for path in (str(broken), str(tmp_path / "missing.yaml")):
        result = run("--post", "x", "--reply", "Hi", "--guidelines", path)
        assert result.exit_code == 1
        assert path in result.output and "Traceback" not in result.output


def test_a_batch_scores_every_line_and_reports_bad_lines_in_place(tmp_path):
    lines = [
        json.dumps({"scenario": SCENARIO, "event": "first_post", "reply": GOOD, "after": "3m"}),
        "{not json",
        json.dumps({"scenario": SCENARIO, "event": "missing", "reply": "Hi"}),
        json.dumps({"post": "Where is my order?", "reply": "Hi, sorry! Please DM us."}),
        json.dumps({"post": "Where is my order?"}),
    ]
    result = run("--batch", "-", stdin="\n".join(lines) + "\n")
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 5
    assert out[0]["verdict"] == "pass" and out[3]["scorer"] == "2.5.1"
    assert out[1]["error"].startswith("line 2: not valid JSON")
    assert 'no event "missing"' in out[2]["error"]
    assert '"reply" is required' in out[4]["error"]


def test_a_batch_file_of_good_lines_exits_zero(tmp_path):
    batch = tmp_path / "replies.jsonl"
    line = {"post": "Late again", "reply": "Hi, sorry. DM us?", "action": "reply"}
    batch.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = run("--batch", str(batch))
    assert result.exit_code == 0 and json.loads(result.stdout)["overall"] >= 0


def test_a_bad_delay_is_explained():
    result = run("--post", "x", "--reply", "Hi", "--after", "2:30")
    assert result.exit_code == 1 and "--after" in result.output


def test_a_line_the_scorer_crashes_on_reports_an_error_and_the_batch_goes_on(tmp_path,
                                                                             monkeypatch):
    import sandbox.core.grading as grading

    real = grading.score_event_reply

    def crash_on_the_second_reply(**request):
        if request["reply"] == "second":
            raise ZeroDivisionError("a scorer bug")
        return real(**request)

    monkeypatch.setattr(grading, "score_event_reply", crash_on_the_second_reply)
    batch = tmp_path / "replies.jsonl"
    batch.write_text("".join(
        json.dumps({"scenario": SCENARIO, "event": "first_post", "reply": reply}) + "\n"
        for reply in (GOOD, "second", GOOD)), encoding="utf-8")
    result = run("--batch", str(batch))
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [sorted(line) == ["error"] for line in out] == [False, True, False]
    assert out[1]["error"].startswith("line 2: could not be scored")
    assert "ZeroDivisionError" not in out[1]["error"] and "Traceback" not in result.stdout
    assert out[0] == out[2] and out[0]["verdict"] == "pass"


def test_a_batch_scored_by_two_processes_prints_what_one_prints_in_the_same_order(monkeypatch):
    import sandbox.cli.score as score

    monkeypatch.setattr(score, "BATCH_WINDOW", 8)  # several windows of lines, each in order
    replies = [GOOD, "lol", "Hi Maria, calm down.", "Batch 22B is perfectly safe.", ""]
    lines = [json.dumps({"scenario": SCENARIO, "event": "first_post", "reply": f"{reply} {n}"})
             for n in range(30) for reply in replies[n % len(replies):][:1]]
    lines[7] = "{not json"
    lines[12] = ""
    stdin = "\n".join(lines) + "\n"
    alone, side_by_side = run("--batch", "-", stdin=stdin), run("--batch", "-", "--jobs", "2",
                                                               stdin=stdin)
    assert alone.exit_code == side_by_side.exit_code == 1
    assert side_by_side.stdout == alone.stdout
    out = [json.loads(line) for line in side_by_side.stdout.splitlines()]
    assert len(out) == 29 and out[7]["error"].startswith("line 8: not valid JSON")
    assert [line.get("verdict") for line in out[:5]] == ["pass", "fail", "fail", "fail", "fail"]


def test_jobs_apply_to_a_batch_only_and_have_a_sane_limit():
    single = run("--post", "x", "--reply", "Hi", "--jobs", "2")
    assert single.exit_code == 2 and "--jobs applies to --batch only" in single.output
    huge = run("--batch", "-", "--jobs", "100000000000000000000", stdin="")
    assert huge.exit_code == 2 and "--jobs" in huge.output and "Traceback" not in huge.output


def test_a_batch_line_that_is_not_utf8_text_is_reported_and_the_batch_goes_on(tmp_path):
    good = json.dumps({"scenario": SCENARIO, "event": "first_post", "reply": GOOD}).encode()
    batch = tmp_path / "replies.jsonl"
    batch.write_bytes(good + b"\n" + b'{"reply": "caf\xe9"}\n' + good + b"\n")
    for jobs in ("1", "2"):
        result = run("--batch", str(batch), "--jobs", jobs)
        assert result.exit_code == 1
        out = [json.loads(line) for line in result.stdout.splitlines()]
        assert out[1] == {"error": "line 2: not UTF-8 text"}
        assert out[0]["verdict"] == out[2]["verdict"] == "pass"


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                    reason="the dying worker is patched in by forking")
def test_a_scoring_process_that_dies_ends_the_batch_with_a_clear_message(monkeypatch):
    import os

    import sandbox.cli.score as score

    real = score._batch_line

    def dies_on_line_5(grader, number, raw, fmt):  # in a worker: the processes are forked
        if number == 5:
            os._exit(1)  # as the system's out-of-memory killer would end it
        return real(grader, number, raw, fmt)

    monkeypatch.setattr(score, "_batch_line", dies_on_line_5)
    monkeypatch.setattr(score, "BATCH_WINDOW", 2)
    line = json.dumps({"post": "Late again", "reply": "Hi, sorry. DM us?"})
    result = run("--batch", "-", "--jobs", "2", stdin="\n".join([line] * 12) + "\n")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "a scoring process stopped unexpectedly" in result.output
    assert "the results printed so far stand" in result.output
    assert 1 <= len([out for out in result.stdout.splitlines() if out.startswith("{")]) < 12


def test_a_batch_file_with_any_line_ends_is_read_line_by_line(tmp_path):
    line = json.dumps({"post": "Late again", "reply": "Hi, sorry. DM us?"})
    batch = tmp_path / "replies.jsonl"
    batch.write_bytes(f"{line}\r{line}\r\n{line}\n".encode())
    result = run("--batch", str(batch))
    assert result.exit_code == 0
    assert [json.loads(out)["scorer"] for out in result.stdout.splitlines()] == ["2.5.1"] * 3
