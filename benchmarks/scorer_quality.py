"""Pairwise accuracy of the scorer on the labelled sets in tests/data/scorer.

    .venv/bin/python benchmarks/scorer_quality.py [--verbose]

A pair is right when the better reply gets a strictly higher overall score. Prints accuracy
overall, per criterion, per language, and on the pairs where the better reply is the shorter
one (length and polite words alone must not win). Target: at least 95 % on the development set.

Then the same on every held-out set (`heldout*/`), written by someone who neither read nor ran
the scorer. `heldout/` has since served for error analysis (its misses led to fixes), so it
now measures less than a set the scorer has never met; the newest set is the honest figure.
The exit status depends on the development set only.
"""

from __future__ import annotations

import sys
from pathlib import Path

from evaluation import accuracy, evaluate

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "scorer"
TARGET = 0.95


def _line(label: str, correct: int, total: int) -> str:
    return f"  {label:<16} {correct:>3}/{total:<3} {100 * correct / total:6.1f} %"


def report(title: str, folder: Path, verbose: bool) -> float:
    outcomes = evaluate(folder)
    correct, total = accuracy(outcomes)["overall"]
    print(title.format(total=total))
    print(_line("overall", correct, total))
    print("per language")
    for language, (c, t) in accuracy(outcomes, "language").items():
        print(_line(language, c, t))
    print("per criterion")
    for criterion, (c, t) in accuracy(outcomes, "criterion").items():
        print(_line(criterion, c, t))
    shorter = [o for o in outcomes if o.shorter_wins]
    if shorter:
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
    return correct / total


def main(verbose: bool = False) -> int:
    share = report(f"Scorer pairwise accuracy on {{total}} labelled pairs (target >= {TARGET:.0%})",
                   DATA, verbose)
    for folder in sorted(DATA.glob("heldout*/")):
        print()
        report(f"Held-out set {folder.name}/: {{total}} pairs", folder, verbose)
    return 0 if share >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main("--verbose" in sys.argv))
