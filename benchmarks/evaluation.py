"""Evaluation of the scorer on labelled sets (tests/data/scorer): the test harness behind
`benchmarks/scorer_quality.py`, the accuracy-floor tests and the figures of docs/scorer.md.

- Pairs: two replies to the same situation where a social-media manager clearly prefers one;
  the scorer is right when it gives the better reply a strictly higher overall score.
- Verdicts (`verdicts/*.jsonl`): one reply to a shipped scenario event, labelled `harmful`
  (must fail), `weak` (must not pass) or `good` (must pass). Each line is graded exactly as
  `sandbox score --batch` grades it.

`card_figures` renders the figures section of docs/scorer.md from these outcomes; the
benchmark writes it (`--write-card`) and a test checks the card is not stale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.core.scoring.attempt import Attempt
from sandbox.core.scoring.context import EarlierReply
from sandbox.core.scoring.results import ReplyScore
from sandbox.core.scoring.scorer import reply_attempt, score_attempt

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_GUIDELINES = ROOT / "scenarios" / "guidelines"
DATA = ROOT / "tests" / "data" / "scorer"


@dataclass(frozen=True)
class PairOutcome:
    id: str
    criterion: str
    language: str
    better: ReplyScore
    worse: ReplyScore
    better_length: int = 0
    worse_length: int = 0

    @property
    def correct(self) -> bool:
        return self.better.overall > self.worse.overall

    @property
    def shorter_wins(self) -> bool:
        """The better reply is clearly shorter: length alone must not win."""
        return self.better_length < 0.8 * self.worse_length


def _read_yaml(path: Path) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def load_guidelines_file(path: Path):
    """Guidelines through the validator; a broken file is an error, not a silent default."""
    from sandbox.core.scenario import load_guidelines, render_text

    result = load_guidelines(path)
    if not result.ok:
        raise ValueError(render_text(result.diagnostics))
    return result.guidelines


def _guidelines(name: str, folder: Path, cache: dict[str, Any]):
    if name not in cache:
        local = folder / "guidelines" / f"{name}.yaml"
        path = local if local.exists() else SHIPPED_GUIDELINES / f"{name}.yaml"
        cache[name] = load_guidelines_file(path)
    return cache[name]


def _expect(data: dict[str, Any] | None):
    if not data:
        return None
    from sandbox.core.scenario.models import Expect

    return Expect.model_validate(data)


def _earlier(items: list[Any]) -> tuple[list[str], list[EarlierReply]]:
    """A pair's `earlier` replies: a bare text, or {reply, event, customer, post}."""
    texts = [item for item in items if isinstance(item, str)]
    structured = [EarlierReply(item["reply"], item.get("event"), item.get("customer"),
                               item.get("post") or "")
                  for item in items if isinstance(item, dict)]
    return texts, structured


def score_side(context: dict[str, Any], side: dict[str, Any], earlier: list[Any],
               guidelines, expect) -> ReplyScore:
    return score_attempt(attempt_side(context, side, earlier, guidelines, expect), guidelines)


def attempt_side(context: dict[str, Any], side: dict[str, Any], earlier: list[Any],
                 guidelines, expect) -> Attempt:
    """The attempt of one side of a pair."""
    defaults = dict(context.get("defaults") or {})
    defaults.update({k: v for k, v in side.items() if k != "reply"})
    customer = context.get("customer") or {}
    texts, structured = _earlier(earlier)
    return reply_attempt(
        reply=side["reply"], post=context["post"], guidelines=guidelines, expect=expect,
        topic=context.get("topic"), network=context.get("network", "twitter"),
        channel=defaults.get("channel", "public"), delay_s=defaults.get("delay"),
        actions=defaults.get("actions") or (), escalated_to=defaults.get("escalated_to"),
        customer_name=customer.get("name"), customer_handle=customer.get("handle"),
        facts=context.get("facts") or (), earlier_replies=texts, earlier=structured,
        event_id=context.get("event"), language=context.get("language"))


def evaluate(folder: Path) -> list[PairOutcome]:
    """Score every pair of `folder`/pairs.yaml against `folder`/contexts.yaml."""
    contexts = _read_yaml(folder / "contexts.yaml")
    pairs = _read_yaml(folder / "pairs.yaml")
    cache: dict[str, Any] = {}
    outcomes = []
    for pair in pairs:
        context = contexts[pair["context"]]
        guidelines = _guidelines(context["guidelines"], folder, cache)
        expect = _expect(context.get("expect"))
        earlier = list(pair.get("earlier") or [])
        outcomes.append(PairOutcome(
            pair["id"], pair["criterion"], context["language"],
            score_side(context, pair["better"], earlier, guidelines, expect),
            score_side(context, pair["worse"], earlier, guidelines, expect),
            len(pair["better"]["reply"]), len(pair["worse"]["reply"])))
    return outcomes


def pair_attempts(folder: Path) -> list[tuple[str, Attempt, Any]]:
    """(pair id, attempt, guidelines) of the better reply of every pair of `folder`."""
    contexts = _read_yaml(folder / "contexts.yaml")
    cache: dict[str, Any] = {}
    found = []
    for pair in _read_yaml(folder / "pairs.yaml"):
        context = contexts[pair["context"]]
        guidelines = _guidelines(context["guidelines"], folder, cache)
        found.append((pair["id"], attempt_side(context, pair["better"],
                                               list(pair.get("earlier") or []), guidelines,
                                               _expect(context.get("expect"))), guidelines))
    return found


def accuracy(outcomes: list[PairOutcome], key: str | None = None) -> dict[str, tuple[int, int]]:
    """(correct, total) overall (key None) or per `criterion` / `language`."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        group = "overall" if key is None else str(getattr(outcome, key))
        table[group][0] += outcome.correct
        table[group][1] += 1
    return {group: (counts[0], counts[1]) for group, counts in sorted(table.items())}


# ------------------------------------------------------------------ verdict sets
LABELS = ("harmful", "weak", "good")
REQUEST_FIELDS = ("scenario", "event", "reply", "after", "action", "to", "also")


@dataclass(frozen=True)
class VerdictOutcome:
    id: str
    label: str
    language: str
    kind: str | None  # the harm or the weak form
    result: ReplyScore

    @property
    def correct(self) -> bool:
        verdict = self.result.verdict
        if self.label == "harmful":
            return verdict == "fail"
        if self.label == "weak":
            return verdict != "pass"
        return verdict == "pass"


def read_verdicts(path: Path) -> list[dict[str, Any]]:
    import json

    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def evaluate_verdicts(path: Path) -> list[VerdictOutcome]:
    """Grade every line of a verdict set the way `sandbox score --batch` does."""
    from sandbox.cli.score import Grader

    grader = Grader()
    outcomes = []
    for line in read_verdicts(path):
        request = {k: line[k] for k in REQUEST_FIELDS if line.get(k) is not None}
        request["scenario"] = str(ROOT / request["scenario"])
        result = grader.score(request)
        language = grader.scenario(request["scenario"])[0].language
        outcomes.append(VerdictOutcome(line["id"], line["label"], language,
                                       line.get("harm") or line.get("form"), result))
    return outcomes


def verdict_accuracy(outcomes: list[VerdictOutcome], key: str = "label"
                     ) -> dict[str, tuple[int, int]]:
    """(correct, total) per label, or per `language`, `kind` (harm or form)."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        group = str(getattr(outcome, key))
        table[group][0] += outcome.correct
        table[group][1] += 1
    return {group: (counts[0], counts[1]) for group, counts in sorted(table.items())}


def verdict_table(outcomes: Sequence[VerdictOutcome], key: str = "language"
                  ) -> dict[str, dict[str, tuple[int, int]]]:
    """(correct, total) per label within each `language` or `kind` group."""
    groups: dict[str, list[VerdictOutcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[str(getattr(outcome, key))].append(outcome)
    return {group: verdict_accuracy(items) for group, items in sorted(groups.items())}


def raised(result: ReplyScore, criterion_id: str) -> bool:
    """The criterion found a problem with the reply: a "bad" finding, or a critical break."""
    criterion = result.criterion(criterion_id)
    return criterion is not None and (
        criterion.critical or any(f.tone == "bad" for f in criterion.findings))


def criterion_hits(outcomes: Sequence[VerdictOutcome]) -> dict[str, dict[str, int]]:
    """For each criterion, on how many lines of each label it raised a problem: a good
    criterion hits harmful and weak replies and leaves good ones alone."""
    from sandbox.core.scoring.results import CRITERIA

    return {criterion: {label: sum(1 for o in outcomes
                                   if o.label == label and raised(o.result, criterion))
                        for label in LABELS}
            for criterion in CRITERIA}


def misclassified(outcomes: Sequence[VerdictOutcome]) -> list[VerdictOutcome]:
    return [o for o in outcomes if not o.correct]


# ------------------------------------------------------------------ targets and the card
VERDICT_SETS = ("development", "development2", "development3", "development4",
                "development5", "development6", "development7", "development8",
                "development9", "development10", "development11", "development12",
                "first_frozen_tuned",
                "second_frozen_tuned", "third_frozen_tuned",
                "fourth_frozen_tuned", "fifth_frozen_tuned", "sixth_frozen_tuned",
                "seventh_frozen_tuned", "eighth_frozen_tuned", "ninth_frozen_tuned",
                "tenth_frozen_tuned", "frozen11")
FROZEN = "frozen11"  # the held-out set: scored only once the tuning is finished
PAIR_SETS = ("development", "heldout_tuned", "heldout2")
WHAT_LABELS_MUST = {"harmful": "fail", "weak": "not pass", "good": "pass"}
# (label, set) -> the share a verdict set must reach; weak replies have no fixed target
VERDICT_TARGETS = {("harmful", "development"): 1.0, ("harmful", FROZEN): 0.95,
                   ("good", "development"): 0.95, ("good", FROZEN): 0.95}
# pair sets at scorer 1.1: correct pairs they must keep
PAIR_BASELINE = {"development": (105, 105), "heldout_tuned": (69, 70), "heldout2": (35, 40)}
NOT_MEASURED = "not yet measured"
TUNED = {"development": "tuned on",
         "development2": "not tuned on by the rules before scorer 2.4.0 (harmful fail 61/110 "
                         "with the rules alone); trains the learned harm check, and its misses "
                         "generalised the rules of 2.4.0",
         "development3": "not tuned on by the rules before scorer 2.4.0 (harmful fail 53/100 "
                         "with the rules alone); trains the learned harm check, and its misses "
                         "generalised the rules of 2.4.0",
         "development4": "not tuned on by the rules before scorer 2.4.0 (harmful fail 49/90 "
                         "with the rules alone); trains the learned harm check, and its misses "
                         "generalised the rules of 2.4.0",
         "development5": "not tuned on by the rules before scorer 2.4.0 (harmful fail 85/150 "
                         "with the rules alone, 106/150 with the learned check; weak 30/30, good "
                         "56/60); trains the learned harm check, and its misses generalised the "
                         "rules of 2.4.0",
         "development6": "written blind and scored once before any tuning on it (harmful fail "
                         "86/110, weak 30/30, good 60/60), then tuned on by the rules and the "
                         "learned harm check",
         "development7": "written blind and scored once before any tuning on it (harmful fail "
                         "90/120, weak 29/30, good 46/50), then tuned on by the rules and the "
                         "learned harm check",
         "development8": "written blind and scored once before any tuning on it, with scorer "
                         "2.4.0 (harmful fail 109/120, weak 29/30, good 50/50), then tuned on "
                         "by the rules and the learned harm check",
         "development9": "written blind and scored once before any tuning on it, while "
                         "scorer 2.5.0 was being tuned (harmful fail 104/120, weak 25/25, good "
                         "53/55), then tuned on by the rules and the learned harm check",
         "development10": "written blind and scored once before any tuning on it, while "
                          "scorer 2.5.0 was being tuned (harmful fail 114/120, weak 24/25, good "
                          "54/55), then tuned on by the rules and the learned harm check",
         "development11": "written blind and scored once before any tuning on it, while "
                          "scorer 2.5.0 was being tuned (harmful fail 109/120, weak 24/25, good "
                          "54/55), then tuned on by the rules and the learned harm check",
         "development12": "written blind and scored once before any tuning on it, while "
                          "scorer 2.5.0 was being tuned (harmful fail 115/120, weak 25/25, good "
                          "52/55), then tuned on by the rules and the learned harm check",
         "first_frozen_tuned": "held out and scored once (harmful fail 12/36 = 33 %, weak 20/20, "
                               "good 28/28), then tuned on",
         "second_frozen_tuned": "held out and scored once (harmful fail 22/37 = 59.5 %, weak "
                                "18/18, good 21/21), then tuned on",
         "third_frozen_tuned": "held out and scored once (harmful fail 17/38 = 44.7 %, weak "
                               "17/17, good 20/20), then tuned on",
         "fourth_frozen_tuned": "held out and scored once (harmful fail 30/44 = 68.2 %, weak "
                                "19/19, good 36/36), then tuned on",
         "fifth_frozen_tuned": "held out and scored once (harmful fail 30/46 = 65.2 %, weak "
                               "19/20, good 37/37), then tuned on",
         "sixth_frozen_tuned": "held out and scored once (harmful fail 28/53 = 52.8 %, weak "
                               "23/24, good 39/42), then tuned on",
         "seventh_frozen_tuned": "held out; scored once with the rules alone (harmful fail 32/54 "
                                 "= 59.3 %, weak 24/24, good 40/42) and once with the learned "
                                 "harm check (harmful fail 41/54 = 75.9 %, weak 24/24, good "
                                 "40/42), then tuned on: trains the learned harm check and "
                                 "generalised the rules of 2.4.0",
         "eighth_frozen_tuned": "held out and scored once (harmful fail 42/54 = 77.8 %, rules "
                                "alone 39/54; weak 24/24, good 42/42), then tuned on: trains "
                                "the learned harm check and generalised the rules",
         "ninth_frozen_tuned": "held out and scored once (harmful fail 46/54 = 85.2 %, weak "
                               "24/24, good 41/42), then tuned on: trains the learned harm "
                               "check and generalised the rules of 2.4.0",
         "tenth_frozen_tuned": "held out and scored once (harmful fail 48/54 = 88.9 %, weak "
                               "24/24, good 41/42), then tuned on: trains the learned harm "
                               "check and generalised the rules of 2.5.0",
         FROZEN: "not tuned on",
         "heldout_tuned": "tuned on", "heldout2": "not tuned on"}


def pair_folder(name: str) -> Path:
    return DATA if name == "development" else DATA / name


def verdict_file(name: str) -> Path:
    return DATA / "verdicts" / f"{name}.jsonl"


def percent(correct: int, total: int) -> str:
    return f"{100 * correct / total:.1f} %" if total else "-"


def verdict_target(label: str, set_name: str) -> str:
    share = VERDICT_TARGETS.get((label, set_name))
    if share is None:
        return "no fixed target"
    return "100 %" if share == 1 else f">= {share:.0%}".replace("%", " %")


def verdict_misses(outcomes: Sequence[VerdictOutcome], set_name: str) -> list[str]:
    """The labels whose target `outcomes` miss, said as a person reads it."""
    misses = []
    for label, (correct, total) in verdict_accuracy(outcomes).items():
        share = VERDICT_TARGETS.get((label, set_name))
        if share is not None and total and correct / total < share:
            misses.append(f"{set_name}: {label} {WHAT_LABELS_MUST[label]} "
                          f"{percent(correct, total)} < {share:.0%}")
    return misses


def pair_misses(name: str, outcomes: Sequence[PairOutcome]) -> list[str]:
    correct, total = accuracy(list(outcomes))["overall"]
    baseline = PAIR_BASELINE.get(name)
    if baseline is not None and correct < baseline[0]:
        return [f"pairs {name}: {correct}/{total} < {baseline[0]}/{baseline[1]} at scorer 1.1"]
    return []


def _cell(counts: tuple[int, int] | None) -> str:
    if counts is None or not counts[1]:
        return "-"
    return f"{counts[0]}/{counts[1]} ({percent(*counts)})"


def _verdict_section(name: str, outcomes: Sequence[VerdictOutcome] | None) -> list[str]:
    lines = [f"#### {name}.jsonl ({TUNED[name]})", ""]
    if outcomes is None:
        return [*lines, f"Per language, per harm or weak form, per criterion: {NOT_MEASURED}.",
                ""]
    header = "| | harmful fail | weak not pass | good pass |"
    rule = "|---|---|---|---|"
    lines += ["Per language:", "", header, rule]
    for language, table in verdict_table(outcomes, "language").items():
        lines.append(f"| {language} | " + " | ".join(_cell(table.get(label)) for label in LABELS)
                     + " |")
    lines += ["", "Per harm (harmful lines) and weak form (weak lines):", "",
              "| label | kind | right |", "|---|---|---|"]
    for label in ("harmful", "weak"):
        kinds = verdict_table([o for o in outcomes if o.label == label], "kind")
        for kind, table in kinds.items():
            lines.append(f"| {label} | {kind} | {_cell(table[label])} |")
    totals = verdict_accuracy(outcomes)
    lines += ["", "Lines on which each criterion raised a problem (a \"bad\" finding or a "
              "critical break), by label:", "",
              "| criterion | " + " | ".join(f"{label} ({totals.get(label, (0, 0))[1]})"
                                           for label in LABELS) + " |",
              "|---|---|---|---|"]
    for criterion, hits in criterion_hits(outcomes).items():
        lines.append(f"| {criterion} | " + " | ".join(str(hits[label]) for label in LABELS)
                     + " |")
    wrong = misclassified(outcomes)
    lines += ["", "Misclassified: " + ("none." if not wrong else ", ".join(
        f"{o.id} ({o.label}{', ' + o.kind if o.kind else ''}: {o.result.overall}, "
        f"{o.result.verdict})" for o in wrong) + "."), ""]
    return lines


def card_figures(verdicts: Mapping[str, Sequence[VerdictOutcome] | None],
                 pairs: Mapping[str, Sequence[PairOutcome]]) -> str:
    """The figures section of docs/scorer.md: a verdict set given as None was not measured.
    Every line about the frozen set names it (a table row starting "| frozen", a section
    headed "#### frozen"), so a comparison can leave it out."""
    lines = ["### Verdict sets", "",
             "| set | harmful fail | weak not pass | good pass |", "|---|---|---|---|"]
    for name, outcomes in verdicts.items():
        table = {} if outcomes is None else verdict_accuracy(outcomes)
        cells = [NOT_MEASURED if outcomes is None else _cell(table.get(label))
                 for label in LABELS]
        lines.append(f"| {name}.jsonl ({TUNED[name]}) | " + " | ".join(cells) + " |")
        lines.append(f"| {name}.jsonl target | " + " | ".join(
            verdict_target(label, name) for label in LABELS) + " |")
    lines.append("")
    for name, outcomes in verdicts.items():
        lines += _verdict_section(name, outcomes)
    lines += ["### Pair sets", "",
              "| set | better reply scored higher | at scorer 1.1 (must not regress) |",
              "|---|---|---|"]
    for name, outcomes in pairs.items():
        baseline = PAIR_BASELINE.get(name)
        lines.append(f"| {name} ({TUNED[name]}) | {_cell(accuracy(list(outcomes))['overall'])} | "
                     + (f"{baseline[0]}/{baseline[1]}" if baseline else "-") + " |")
    return "\n".join(lines).rstrip() + "\n"
