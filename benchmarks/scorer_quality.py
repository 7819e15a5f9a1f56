"""Pairwise accuracy of the scorer on the labelled set in tests/data/scorer.

    .venv/bin/python benchmarks/scorer_quality.py [--verbose]

A pair is right when the better reply gets a strictly higher overall score. Prints accuracy
overall, per criterion, per language, and on the pairs where the better reply is the shorter
one (length and polite words alone must not win). Target: at least 95 %.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sandbox.core.scoring.evaluation import accuracy, evaluate

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "scorer"
TARGET = 0.95


def _line(label: str, correct: int, total: int) -> str:
    return f"  {label:<16} {correct:>3}/{total:<3} {100 * correct / total:6.1f} %"


def main(verbose: bool = False) -> int:
    outcomes = evaluate(DATA)
    correct, total = accuracy(outcomes)["overall"]
    print(f"Scorer pairwise accuracy on {total} labelled pairs (target >= {TARGET:.0%})")
    print(_line("overall", correct, total))
    print("per language")
    for language, (c, t) in accuracy(outcomes, "language").items():
        print(_line(language, c, t))
    print("per criterion")
    for criterion, (c, t) in accuracy(outcomes, "criterion").items():
        print(_line(criterion, c, t))
    shorter = [o for o in outcomes if o.shorter_wins]
    c, t = accuracy(shorter)["overall"]
    print("better reply is shorter")
    print(_line("pairs", c, t))
    margins = sorted(o.better.overall - o.worse.overall for o in outcomes)
    print(f"score margin better - worse: min {margins[0]}, median {margins[len(margins) // 2]}")
    wrong = [o for o in outcomes if not o.correct]
    for outcome in wrong if (wrong or verbose) else []:
        print(f"  WRONG {outcome.id}: better {outcome.better.overall}, "
              f"worse {outcome.worse.overall}")
    if verbose:
        for o in outcomes:
            print(f"  {o.id:<55} {o.better.overall:>3} > {o.worse.overall:>3}")
    return 0 if correct / total >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main("--verbose" in sys.argv))
