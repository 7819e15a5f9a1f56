"""How often the scorer agrees with a community manager, on the labelled sets in tests/data/scorer.

    .venv/bin/python benchmarks/scorer_quality.py [--verbose] [--skip-frozen] [--write-card]

Verdict sets (`verdicts/*.jsonl`): each line is one reply to a shipped event, labelled harmful
(must fail), weak (must not pass) or good (must pass). Prints correct/total per label, per
language, per harm or weak form, on how many lines each criterion raised a problem (by label:
which criteria catch harms, which wrongly hit good replies), and the misclassified lines.
Targets: harmful fail 100 % on development and >= 95 % on frozen; good pass >= 95 %; weak
replies have no fixed target.

`frozen3.jsonl` is held out: it must not be scored while the scorer is being tuned. Pass
`--skip-frozen` until the tuning is finished; the card then says "not yet measured" for it.

Pair sets (development pairs, `heldout_tuned/`, `heldout2/`): a pair is right when the better
reply gets a strictly higher overall score; they must not fall below their figures at scorer
1.1. `heldout_tuned/` served for error analysis (its misses led to fixes); `heldout2/` did not.

`--write-card` rewrites the figures section of docs/scorer.md (between its markers) with the
same figures. The exit status is non-zero when a development target is missed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.evaluation import (  # noqa: E402  (the repository root is added above)
    FROZEN,
    LABELS,
    PAIR_BASELINE,
    PAIR_SETS,
    VERDICT_SETS,
    WHAT_LABELS_MUST,
    accuracy,
    card_figures,
    criterion_hits,
    evaluate,
    evaluate_verdicts,
    misclassified,
    pair_folder,
    pair_misses,
    percent,
    verdict_accuracy,
    verdict_file,
    verdict_misses,
    verdict_table,
    verdict_target,
)

CARD = Path(__file__).resolve().parents[1] / "docs" / "scorer.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def _line(label: str, correct: int, total: int, target: str = "") -> str:
    return f"  {label:<28} {correct:>3}/{total:<3} {percent(correct, total):>8}  {target}"


def report_verdicts(name: str, outcomes, verbose: bool) -> None:
    print(f"Verdict set {name}.jsonl: {len(outcomes)} replies")
    table = verdict_accuracy(outcomes)
    for label in (label for label in LABELS if label in table):
        print(_line(f"{label} {WHAT_LABELS_MUST[label]}", *table[label],
                    f"target {verdict_target(label, name)}"))
    print("per language")
    for language, table in verdict_table(outcomes, "language").items():
        for label in LABELS:
            if label in table:
                print(_line(f"{language} {label}", *table[label]))
    print("per harm / weak form")
    for label in ("harmful", "weak"):
        for kind, table in verdict_table([o for o in outcomes if o.label == label],
                                         "kind").items():
            print(_line(f"{label} {kind}", *table[label]))
    totals = verdict_accuracy(outcomes)
    print("lines where a criterion raised a problem (bad finding or critical), by label")
    print(f"  {'criterion':<16}" + "".join(f"{label + ' /' + str(totals.get(label, (0, 0))[1]):>14}"
                                           for label in LABELS))
    for criterion, hits in criterion_hits(outcomes).items():
        print(f"  {criterion:<16}" + "".join(f"{hits[label]:>14}" for label in LABELS))
    for o in misclassified(outcomes):
        print(f"  WRONG {o.id} ({o.label}, {o.kind or '-'}): {o.result.overall} "
              f"{o.result.verdict}. {o.result.explanation}")
    if verbose:
        for o in outcomes:
            print(f"  {o.id:<14} {o.label:<8} {o.result.overall:>3} {o.result.verdict}")


def report_pairs(name: str, outcomes, verbose: bool) -> None:
    correct, total = accuracy(outcomes)["overall"]
    baseline = PAIR_BASELINE.get(name)
    print(f"Pair set {name}: {total} pairs")
    print(_line("overall", correct, total,
                f"must not regress: {baseline[0]}/{baseline[1]} at scorer 1.1" if baseline
                else ""))
    print("per language")
    for language, (c, t) in accuracy(outcomes, "language").items():
        print(_line(language, c, t))
    print("per criterion")
    for criterion, (c, t) in accuracy(outcomes, "criterion").items():
        print(_line(criterion, c, t))
    shorter = [o for o in outcomes if o.shorter_wins]
    if shorter:
        print("better reply is shorter")
        print(_line("pairs", *accuracy(shorter)["overall"]))
    margins = sorted(o.better.overall - o.worse.overall for o in outcomes)
    print(f"score margin better - worse: min {margins[0]}, median {margins[len(margins) // 2]}")
    for o in outcomes:
        if not o.correct or verbose:
            mark = "  " if o.correct else "  WRONG "
            print(f"{mark}{o.id}: better {o.better.overall}, worse {o.worse.overall}")


def write_card(figures: str, card: Path = CARD) -> None:
    text = card.read_text(encoding="utf-8")
    start, end = text.index(START) + len(START), text.index(END)
    card.write_text(text[:start] + "\n" + figures + text[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every line and pair")
    parser.add_argument("--skip-frozen", action="store_true",
                        help="do not score the frozen set (while the scorer is being tuned)")
    parser.add_argument("--write-card", action="store_true",
                        help="rewrite the figures section of docs/scorer.md")
    args = parser.parse_args(argv)
    verdicts = {}
    for name in VERDICT_SETS:
        if name == FROZEN and args.skip_frozen:
            verdicts[name] = None
            print(f"Verdict set {FROZEN}.jsonl: skipped (--skip-frozen), not yet measured\n")
            continue
        verdicts[name] = evaluate_verdicts(verdict_file(name))
        report_verdicts(name, verdicts[name], args.verbose)
        print()
    pairs = {name: evaluate(pair_folder(name)) for name in PAIR_SETS}
    for name, outcomes in pairs.items():
        report_pairs(name, outcomes, args.verbose)
        print()
    misses = verdict_misses(verdicts["development"], "development") + \
        pair_misses("development", pairs["development"])
    others = [miss for name, outcomes in verdicts.items() if name != "development" and outcomes
              for miss in verdict_misses(outcomes, name)]
    others += [miss for name, outcomes in pairs.items() if name != "development"
               for miss in pair_misses(name, outcomes)]
    for miss in misses + others:
        print(f"MISSED {miss}")
    if args.write_card:
        write_card(card_figures(verdicts, pairs))
        print(f"Wrote the figures of {CARD.relative_to(CARD.parents[1])}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
