"""The scorer's output, byte for byte, on a fixed sample: a speed-up must not change a score.

`tests/data/scorer/golden_requests.jsonl` holds about 300 `sandbox score --batch` requests:
replies drawn from the tuned verdict sets (the frozen one stays out: nobody should read its
scores while tuning), replies to ad-hoc posts in English and French, escalation notes, odd
texts (huge numbers, a NUL byte, mixed scripts, markup) and a line that is an error (an
unknown language: its message stays the same when a scenario gains events).
`golden_scores.jsonl` beside it is what `sandbox score --batch` printed for them, one line
each. The test runs the command on the requests and compares the output exactly.

When the scorer is *meant* to change (new rules, new weights, a version bump), regenerate the
golden file and review its diff as part of the change:

    .venv/bin/python -m tests.unit.scoring.test_golden_scores --write
"""

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from sandbox.cli.score import score_command

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "scorer"
REQUESTS = DATA / "golden_requests.jsonl"
GOLDEN = DATA / "golden_scores.jsonl"


def _requests() -> str:
    """The requests with their scenario paths made absolute (the tests run from anywhere)."""
    lines = []
    for line in REQUESTS.read_text(encoding="utf-8").splitlines():
        request = json.loads(line)
        if "scenario" in request:
            request["scenario"] = str(ROOT / request["scenario"])
        lines.append(json.dumps(request, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def score_requests() -> str:
    result = CliRunner().invoke(score_command, ["--batch", "-"], input=_requests())
    assert result.exit_code == 1, result.output  # the last request is an error, on purpose
    return result.stdout


def test_the_scorer_prints_exactly_the_golden_scores():
    printed = score_requests().splitlines()
    golden = GOLDEN.read_text(encoding="utf-8").splitlines()
    assert len(printed) == len(golden) == len(REQUESTS.read_text().splitlines())
    changed = [i for i, (now, then) in enumerate(zip(printed, golden, strict=True))
               if now != then]
    assert not changed, (
        f"{len(changed)} of {len(golden)} scores changed, first on request {changed[0] + 1}; "
        "if the change is meant, regenerate: .venv/bin/python -m "
        "tests.unit.scoring.test_golden_scores --write")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.unit.scoring.test_golden_scores --write")
    GOLDEN.write_text(score_requests(), encoding="utf-8")
    print(f"{GOLDEN.relative_to(ROOT)} rewritten")
