"""Every example on the scorer card (docs/scorer.md) does what the card says: a "fails (N)"
reply fails with overall N, a "passes (N)" reply passes with overall N, graded exactly as
`sandbox score` grades it."""

import re
import shlex
from pathlib import Path

import pytest

from sandbox.cli.score import Grader

ROOT = Path(__file__).resolve().parents[3]
CARD = (ROOT / "docs" / "scorer.md").read_text(encoding="utf-8")
# a head and its examples, at the top level or nested in a list (the known limits)
HEAD = re.compile(r"^ *- (?:en|fr), `([\w-]+\.yaml)`, event `([\w.]+)`, `([^`]*)`:", re.M)
EXAMPLE = re.compile(r"^ +- (fails|passes) \((\d+)\): \"(.*?)\"(?: \([^()]*\))?\s*$",
                     re.M | re.S)
END = re.compile(r"^(?: *- (?:en|fr), |- |#)", re.M)


def examples():
    for head in HEAD.finditer(CARD):
        block = CARD[head.end():]
        end = END.search(block)
        block = block[:end.start()] if end else block
        words = shlex.split(head.group(3))
        options: dict[str, list[str]] = {}
        for name, value in zip(words[::2], words[1::2], strict=True):
            options.setdefault(name.lstrip("-"), []).append(value)
        for example in EXAMPLE.finditer(block):
            request = {"scenario": str(ROOT / "scenarios" / head.group(1)),
                       "event": head.group(2),
                       "reply": " ".join(example.group(3).replace("**", "").split())}
            request.update({key: values[0] for key, values in options.items() if key != "also"})
            if "also" in options:
                request["also"] = options["also"]
            yield pytest.param(request, example.group(1), int(example.group(2)),
                               id=f"{head.group(2)}-{example.group(1)}-{example.start()}")


EXAMPLES = list(examples())


def test_the_card_has_a_failing_and_a_passing_example_in_both_languages():
    assert len(EXAMPLES) >= 36


@pytest.mark.parametrize(("request_", "verdict", "overall"), EXAMPLES)
def test_each_example_on_the_card_scores_what_the_card_says(request_, verdict, overall):
    result = Grader().score(request_)
    assert (result.verdict == "fail") if verdict == "fails" else (result.verdict == "pass")
    assert result.overall == overall, f"the card says {overall}, the scorer gives {result.overall}"
