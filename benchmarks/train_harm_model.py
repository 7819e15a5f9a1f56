"""Train the learned harm check (`sandbox/core/scoring/harm_model.py`) on the tuned verdict sets.

    .venv/bin/python benchmarks/train_harm_model.py [--write] [--cross-validate]

Every verdict set but the frozen one (`benchmarks/evaluation.py`, VERDICT_SETS minus FROZEN) is
read the way `sandbox score --batch` reads it. Harmful replies of the kinds a reader can tell
from words (`harm_model.KINDS`) are the positives; good and weak replies, the model answers
of the shipped scenarios and of the editor's starting points, the scripted tests' replies their
authors scored as passing and the better replies of the tuned pair sets are the negatives;
harmful replies of the other kinds (contradictions, exposed personal data: the rules' job) are
left out. The harmful and the other replies to each customer post weigh the same in total.
Two models are fitted with the same features: a logistic one (harmful or not) and a
multinomial one over the kinds (on the harmful replies). Training is deterministic: the lines
in file order, one seeded shuffle per pass, AdaGrad steps; the harm model is the average of
three such fits with three seeds (one fit's weights depend on the order it saw the replies in,
and which good replies it happens to flag moves the threshold: the average is steadier);
features seen in fewer than MIN_REPLIES replies are left out; weights rounded and pruned to the
ones that matter.

`--write` writes `sandbox/core/scoring/lexicons/harm_model.json` (a test checks the committed
file is what this script produces from the committed sets). `--cross-validate` prints
leave-one-set-out figures: for each set, the model trained on all the others, the full scorer
on the set left out (harmful fail and good pass with the rules alone and with the model, weak
not pass), per set, in total over the sets the rules saw last (RULES_SAW_LATE:
the least optimistic figures; only the frozen set is held out) and over all the sets, and the
threshold that cross-validation suggests (the lowest that keeps good replies passing >= 97 %,
pooled and over the sets the rules saw last, and >= 96 % over the newest sets): THRESHOLD below
is it. `--honest`
leaves out only the sets the rules saw last.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.evaluation import (  # noqa: E402  (the repository root is added above)
    FROZEN,
    ROOT,
    VERDICT_SETS,
    evaluate_verdicts,
    pair_attempts,
    pair_folder,
    percent,
    read_verdicts,
    verdict_file,
)
from sandbox.core.scoring import harm, harm_features, harm_model  # noqa: E402
from sandbox.core.scoring.context import ReplyContext  # noqa: E402

WEIGHTS = ROOT / "sandbox" / "core" / "scoring" / "lexicons" / harm_model.WEIGHTS_FILE
TRAINING_SETS = tuple(name for name in VERDICT_SETS if name != FROZEN)
MODEL_ANSWERS = "model_answers"
# The better replies of the pair sets that were tuned on (heldout2 stays out: a check).
PAIR_NEGATIVES = ("development", "heldout_tuned")
SEEDS = (12, 13, 14)  # both models are the average of one fit per seed
EPOCHS = 30
STEP = 0.3  # AdaGrad's step
L2 = 0.002  # pull towards 0 of each weight a reply uses, per reply
WEAK_NEGATIVES = True
BALANCE = True
GOOD_WEIGHT = 2.0  # a good reply flagged costs a trainee more than a harm missed
# a feature seen in fewer training replies is noise (in cross-validation, 6 catches more harm at
# the same good-pass rate than 3 or 10)
MIN_REPLIES = 6
KEEP = 2500  # the strongest weights of the harm model kept
KEEP_KINDS = 1500  # and of the kind model
ROUND = 3
# The logit above which a reply is flagged: the lowest that keeps good replies passing >= 97 %
# in leave-one-set-out cross-validation, pooled and over the sets the rules saw last, and >= 96 %
# over the newest sets (`--cross-validate` prints what it suggests today). It was 0.8 when chosen;
# since the scripted tests' passing replies joined the negatives the rule suggests 1.6 (the
# newest sets' good replies pass 210/220 at 0.8, 212 at 1.6), which would fail 18 fewer of the 558
# harmful replies of the sets the rules saw last to pass 2 more good ones: it stays 0.8. The model
# answers, shipped and of the editor's starting points, are trained on as good replies and stay
# far below it. The card's known limits say what the check still gets wrong.
THRESHOLD = 0.8
GOOD_PASS_TARGET = 0.97

Key = tuple[str, str]


@dataclass
class Example:
    id: str
    set: str
    label: str
    kind: str | None
    ctx: ReplyContext
    counts: Counter[Key]

    @property
    def positive(self) -> bool:
        return self.label == "harmful"

    @property
    def trained_on(self) -> bool:
        """Contradictions and exposed data are the rules' job: neither positive nor negative."""
        if self.label == "weak":
            return WEAK_NEGATIVES
        return self.label != "harmful" or self.kind in harm_model.KINDS


def _context(line: dict, grader) -> ReplyContext:
    from sandbox.cli.score import _also, _seconds
    from sandbox.core.grading import attempt_for_event

    scenario, guidelines = grader.scenario(str(ROOT / line["scenario"]))
    attempt = attempt_for_event(scenario, event=line["event"], text=line["reply"],
                                action=line.get("action") or "reply",
                                delay_s=_seconds(line.get("after")), done=_also(line.get("also")),
                                to=line.get("to"))
    return ReplyContext.of(attempt, guidelines)


PASSING_SCRIPT_SCORE = 70  # a scripted test reply its author scored at least this passes


def _model_answers() -> list[dict]:
    """The shipped scenarios' model answers, and the replies of their scripted tests that the
    author scored as passing, as verdict lines labelled good."""
    from sandbox.cli.score import load_scenario

    lines = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        scenario = load_scenario(path)[0]
        where = {"scenario": f"scenarios/{path.name}", "label": "good"}
        events = [(e.id, e) for e in scenario.timeline] + [
            (f"{name}.{i}", e) for name, scene in scenario.scenes.items()
            for i, e in enumerate(scene)]
        for ref, event in events:
            if event.expect is not None and (event.expect.model_answer or "").strip():
                lines.append({"id": f"{path.stem}:{ref}", "event": ref,
                              "reply": str(event.expect.model_answer), **where})
        for test_number, test in enumerate(scenario.tests):
            for action_number, action in enumerate(test.actions):
                if action.text and action.event and action.action in ("reply", "dm") and \
                        action.score is not None and action.score >= PASSING_SCRIPT_SCORE:
                    lines.append({"id": f"{path.stem}:test{test_number}.{action_number}",
                                  "event": action.event, "action": action.action,
                                  "reply": action.text, **where})
    return lines


def _situation_answers() -> list[tuple[str, ReplyContext]]:
    """The model answer of every "New scenario" starting point for every shipped brand, as the
    in-browser editor writes it (`sandbox.core.situations`): the product's own good reply."""
    from sandbox.core.grading import attempt_for_event
    from sandbox.core.scenario import SHIPPED_GUIDELINES, load_guidelines, parse_scenario_text
    from sandbox.core.situations import SITUATIONS, scenario_text

    found = []
    for path in sorted(SHIPPED_GUIDELINES.glob("*.yaml")):
        guidelines = load_guidelines(path).guidelines
        for situation in SITUATIONS:
            text = scenario_text(f"new-{situation}", situation=situation, guidelines=guidelines,
                                 network="twitter", level="intermediate")
            loaded = parse_scenario_text(text, f"new-{situation}.yaml", [SHIPPED_GUIDELINES])
            event = loaded.scenario.timeline[0]
            attempt = attempt_for_event(loaded.scenario, event=event.id, delay_s=120,
                                        text=str(event.expect.model_answer))
            found.append((f"{path.stem}:{situation}", ReplyContext.of(attempt,
                                                                      loaded.guidelines)))
    return found


def examples(sets: tuple[str, ...] = TRAINING_SETS, answers: bool = True) -> list[Example]:
    """Every line of the sets, in file order, with its context and features; with `answers`,
    the model answers of the shipped scenarios and of the editor's starting points, and the
    better replies of PAIR_NEGATIVES too (trained on, never left out)."""
    from sandbox.cli.score import Grader

    grader = Grader()
    found = []
    sources = [(name, read_verdicts(verdict_file(name))) for name in sets]
    if answers:
        sources.append((MODEL_ANSWERS, _model_answers()))
        for name in PAIR_NEGATIVES:
            for pair_id, attempt, guidelines in pair_attempts(pair_folder(name)):
                ctx = ReplyContext.of(attempt, guidelines)
                counts = Counter((f.table, f.key) for f in harm_features.features(ctx))
                found.append(Example(pair_id, f"pairs_{name}", "better", None, ctx, counts))
        for answer_id, ctx in _situation_answers():
            counts = Counter((f.table, f.key) for f in harm_features.features(ctx))
            found.append(Example(answer_id, MODEL_ANSWERS, "good", None, ctx, counts))
    for name, lines in sources:
        for line in lines:
            ctx = _context(line, grader)
            counts = Counter((f.table, f.key) for f in harm_features.features(ctx))
            found.append(Example(line["id"], name, line["label"],
                                 line.get("harm") or line.get("form"), ctx, counts))
    return found


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


def _vocabulary(train: list[Example]) -> list[Key]:
    seen: Counter[Key] = Counter()
    for example in train:
        seen.update(example.counts.keys())
    return sorted(key for key, n in seen.items() if n >= MIN_REPLIES)


def _rows(train: list[Example], index: dict[Key, int]) -> list[list[tuple[int, float]]]:
    return [sorted((index[k], float(c)) for k, c in e.counts.items() if k in index)
            for e in train]


def _balanced(used: list[Example]) -> list[float]:
    """Weights that give the harmful and the other replies to each customer post the same
    total, so that what an event is about (its words, its instructions) says nothing of harm:
    only how the replies to it differ does."""
    groups: dict[str, list[int]] = {}
    for i, e in enumerate(used):
        groups.setdefault(e.ctx.post, []).append(i)
    weights = [1.0] * len(used)
    for members in groups.values():
        harmful = [i for i in members if used[i].positive]
        others = [i for i in members if not used[i].positive]
        if harmful and others:
            for i in harmful:
                weights[i] = len(members) / (2 * len(harmful))
            for i in others:
                weights[i] = len(members) / (2 * len(others))
    return weights


def _fit_binary(rows, targets, weights, size) -> tuple[float, list[float]]:
    """The average of the fits with each of SEEDS (one shuffle of the replies each): the
    weights a single order of the replies happens to favour average out."""
    fits = [_fit_binary_once(rows, targets, weights, size, seed) for seed in SEEDS]
    bias = sum(b for b, _w in fits) / len(fits)
    return bias, [sum(column) / len(fits) for column in zip(*(w for _b, w in fits),
                                                           strict=True)]


def _fit_binary_once(rows, targets, weights, size, seed) -> tuple[float, list[float]]:
    w = [0.0] * size
    squares = [1e-8] * size
    bias, bias_square = 0.0, 1e-8
    rng = random.Random(seed)
    order = list(range(len(rows)))
    for _epoch in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            row = rows[i]
            z = bias + sum(w[j] * c for j, c in row)
            error = (_sigmoid(z) - targets[i]) * weights[i]
            for j, c in row:
                grad = error * c + L2 * w[j]
                squares[j] += grad * grad
                w[j] -= STEP * grad / math.sqrt(squares[j])
            bias_square += error * error
            bias -= STEP * error / math.sqrt(bias_square)
    return bias, w


def _fit_kinds(rows, kinds, size) -> tuple[list[float], list[list[float]]]:
    """The average of the fits with each of SEEDS, as for the harm model."""
    fits = [_fit_kinds_once(rows, kinds, size, seed) for seed in SEEDS]
    bias = [sum(column) / len(fits) for column in zip(*(b for b, _w in fits), strict=True)]
    return bias, [[sum(column) / len(fits) for column in zip(*rows_, strict=True)]
                  for rows_ in zip(*(w for _b, w in fits), strict=True)]


def _fit_kinds_once(rows, kinds, size, seed) -> tuple[list[float], list[list[float]]]:
    k = len(harm_model.KINDS)
    w = [[0.0] * k for _ in range(size)]
    squares = [[1e-8] * k for _ in range(size)]
    bias, bias_squares = [0.0] * k, [1e-8] * k
    rng = random.Random(seed)
    order = list(range(len(rows)))
    for _epoch in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            row = rows[i]
            scores = list(bias)
            for j, c in row:
                wj = w[j]
                for kind in range(k):
                    scores[kind] += wj[kind] * c
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total = sum(exps)
            for kind in range(k):
                error = exps[kind] / total - (1.0 if kinds[i] == kind else 0.0)
                for j, c in row:
                    grad = error * c + L2 * w[j][kind]
                    squares[j][kind] += grad * grad
                    w[j][kind] -= STEP * grad / math.sqrt(squares[j][kind])
                bias_squares[kind] += error * error
                bias[kind] -= STEP * error / math.sqrt(bias_squares[kind])
    return bias, w


def train(train_set: list[Example], threshold: float = THRESHOLD) -> dict:
    """The model's JSON data, fitted on `train_set`."""
    used = [e for e in train_set if e.trained_on]
    vocabulary = _vocabulary(used)
    index = {key: i for i, key in enumerate(vocabulary)}
    rows = _rows(used, index)
    targets = [1.0 if e.positive else 0.0 for e in used]
    weights = _balanced(used) if BALANCE else [1.0] * len(used)
    weights = [w * (GOOD_WEIGHT if e.label == "good" else 1.0) for w, e in zip(weights, used,
                                                                             strict=True)]
    bias, w = _fit_binary(rows, targets, weights, len(vocabulary))
    harmful = [i for i, e in enumerate(used) if e.positive]
    kind_bias, kind_w = _fit_kinds([rows[i] for i in harmful],
                                   [harm_model.KINDS.index(used[i].kind) for i in harmful],
                                   len(vocabulary))
    strongest = sorted(range(len(vocabulary)), key=lambda j: (-abs(w[j]), vocabulary[j]))
    tables: dict[str, dict[str, float]] = {t: {} for t in "ubsyh"}
    for j in strongest[:KEEP]:
        value = round(w[j], ROUND)
        if abs(value) >= 0.01:
            tables[vocabulary[j][0]][vocabulary[j][1]] = value
    kind_tables: dict[str, dict[str, dict[str, float]]] = {t: {} for t in "ubsyh"}
    kind_order = sorted(range(len(vocabulary)),
                        key=lambda j: (-max(abs(v) for v in kind_w[j]), vocabulary[j]))
    for j in kind_order[:KEEP_KINDS]:
        values = {kind: round(v, ROUND) for kind, v in zip(harm_model.KINDS, kind_w[j],
                                                           strict=True) if abs(v) >= 0.01}
        if values:
            kind_tables[vocabulary[j][0]][vocabulary[j][1]] = values
    return {"about": "Weights of the learned harm check (sandbox/core/scoring/harm_model.py), "
                     "written by benchmarks/train_harm_model.py --write: do not edit by hand.",
            "trained_on": sorted({e.set for e in train_set}),
            "replies": len(used), "threshold": threshold, "bias": round(bias, ROUND),
            "weights": tables,
            "kind_bias": {kind: round(b, ROUND) for kind, b in zip(harm_model.KINDS, kind_bias,
                                                                   strict=True)},
            "kind_weights": kind_tables}


def render(data: dict) -> str:
    """The weights file: one feature a line, so that a retraining reads as a diff."""
    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    lines = ["{"]
    for key in sorted(data):
        value = data[key]
        if key in ("weights", "kind_weights"):
            tables = [f'  {dump(table)}: {{\n' + ",\n".join(
                f"    {dump(feature)}: {dump(value[table][feature])}"
                for feature in sorted(value[table])) + "\n  }" for table in sorted(value)]
            lines.append(f"{dump(key)}: {{\n" + ",\n".join(tables) + "\n},")
        else:
            lines.append(f"{dump(key)}: {dump(value)},")
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}\n"


# ------------------------------------------------------------------ cross-validation
def _flagged(model: harm_model.HarmModel, example: Example) -> float | None:
    """The logit at which the model would flag the reply (None: it never would, since a rule
    already fails it, or the kind it reads does not apply there)."""
    with harm_model.using(None):
        if harm.findings(example.ctx):
            return None
    forced = harm_model.HarmModel(model.bias, model.weights, -math.inf, model.kind_bias,
                                  model.kind_weights)
    if not harm.learned(example.ctx, forced):
        return None
    return model.logit(harm_features.features(example.ctx))


# The sets the rules saw last: never tuned on by the rules before scorer 2.4.0, whose rules were
# generalised on their misses too. Their left-out figures are less optimistic than the others'
# but no longer held out: the frozen set is the honest figure.
RULES_SAW_LATE = ("development2", "development3", "development4", "development5",
                        "seventh_frozen_tuned", "eighth_frozen_tuned")
# The newest sets, written blind by four people while scorer 2.5.0 was tuned: their good replies
# are the nearest to what a new writer (or trainee) writes, and the model flags more of them.
NEWEST = ("development9", "development10", "development11", "development12")
GOOD_PASS_NEWEST = 0.96


@dataclass(frozen=True)
class Held:
    """A reply of a left-out set: the rules' verdict and the logit at which the model trained
    on the other sets would flag it (`_flagged`)."""

    example: Example
    logit: float | None
    verdict: str

    def right(self, threshold: float, with_model: bool = True) -> bool:
        flagged = with_model and self.logit is not None and self.logit > threshold
        if self.example.label == "good":
            return self.verdict == "pass" and not flagged
        return self.verdict == "fail" or flagged if self.example.label == "harmful" else \
            self.verdict != "pass" or flagged


def held_out(everything: list[Example], sets: tuple[str, ...]) -> list[Held]:
    """Every reply of `sets`, each judged by the model trained on all the other sets."""
    found = []
    for left_out in sets:
        model = harm_model.HarmModel.from_json(
            train([e for e in everything if e.set != left_out]))
        with harm_model.using(None):
            rules = {o.id: o.result.verdict for o in evaluate_verdicts(verdict_file(left_out))}
        found += [Held(e, _flagged(model, e), rules[e.id])
                  for e in everything if e.set == left_out]
    return found


def suggested_threshold(held: list[Held]) -> float | None:
    """The lowest logit at which good replies keep passing GOOD_PASS_TARGET, pooled and over
    the sets the rules saw last (the pooled figure alone lets the sets the rules were tuned on
    longest, where the rules already pass every good reply, hide the others' losses), and
    GOOD_PASS_NEWEST over the newest sets."""
    goods = [h for h in held if h.example.label == "good"]
    groups = [(goods, GOOD_PASS_TARGET),
              ([h for h in goods if h.example.set in RULES_SAW_LATE], GOOD_PASS_TARGET),
              ([h for h in goods if h.example.set in NEWEST], GOOD_PASS_NEWEST)]
    for threshold in sorted({round(h.logit, 2) for h in held if h.logit is not None}):
        if all(sum(h.right(threshold) for h in group) >= target * len(group)
               for group, target in groups if group):
            return threshold
    return None


def _share(held: list[Held], label: str, threshold: float, with_model: bool = True) -> str:
    of = [h for h in held if h.example.label == label]
    right = sum(h.right(threshold, with_model) for h in of)
    return f"{right}/{len(of)} ({percent(right, len(of))})"


def report(held: list[Held], threshold: float) -> None:
    """Per left-out set and in total: harmful fail and good pass, rules alone -> with the
    model at `threshold`; weak not pass with the model."""
    print(f"at threshold {threshold:.2f}: harmful fail rules -> with model | weak not pass | "
          "good pass rules -> with model")
    sets = list(dict.fromkeys(h.example.set for h in held))
    groups = [(name, [h for h in held if h.example.set == name]) for name in sets]
    honest = [h for h in held if h.example.set in RULES_SAW_LATE]
    if honest and len(honest) < len(held):
        groups.append(("rules saw late", honest))
    groups.append((f"all {len(sets)} pooled", held))
    for name, group in groups:
        print(f"  {name:<22} {_share(group, 'harmful', threshold, False):>16} -> "
              f"{_share(group, 'harmful', threshold):<16} | "
              f"{_share(group, 'weak', threshold):<16} | "
              f"{_share(group, 'good', threshold, False):>16} -> "
              f"{_share(group, 'good', threshold)}")


def report_kinds(held: list[Held], threshold: float) -> None:
    for title, group in (("rules saw late", [h for h in held if h.example.set in
                                                    RULES_SAW_LATE]), ("pooled", held)):
        caught, totals = Counter(), Counter()
        for h in group:
            key = h.example.label if h.example.label != "harmful" else \
                f"harmful {h.example.kind}"
            caught[key] += h.right(threshold)
            totals[key] += 1
        print(f"{title}, by kind, at threshold {threshold:.2f}:")
        for key in sorted(totals):
            print(f"  {key:<28} {caught[key]:>4}/{totals[key]:<4} "
                  f"{percent(caught[key], totals[key])}")


def cross_validate(everything: list[Example], sets: tuple[str, ...] = TRAINING_SETS) -> None:
    held = held_out(everything, tuple(s for s in sets if any(e.set == s for e in everything)))
    report(held, THRESHOLD)
    suggested = suggested_threshold(held)
    goods = sum(h.example.label == "good" for h in held)
    print(f"suggested threshold {suggested} (good pass >= {GOOD_PASS_TARGET:.0%} of {goods} "
          f"pooled and of the sets the rules saw late, >= {GOOD_PASS_NEWEST:.0%} of the newest "
          f"sets); committed {THRESHOLD:.2f}")
    if suggested is not None and suggested != THRESHOLD:
        report(held, suggested)
    report_kinds(held, THRESHOLD)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {WEIGHTS.name}")
    parser.add_argument("--cross-validate", action="store_true",
                        help="print leave-one-set-out figures")
    parser.add_argument("--honest", action="store_true",
                        help="with --cross-validate, leave out only the sets the rules "
                             "saw last (quicker; no threshold for the pooled sets)")
    args = parser.parse_args(argv)
    everything = examples()
    print(f"{len(everything)} replies from {', '.join(TRAINING_SETS)}")
    if args.cross_validate:
        cross_validate(everything, RULES_SAW_LATE if args.honest else TRAINING_SETS)
    if args.write:
        WEIGHTS.write_text(render(train(everything)), encoding="utf-8")
        print(f"Wrote {WEIGHTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
