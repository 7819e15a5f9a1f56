"""Evaluation of the scorer on labelled sets (tests/data/scorer): the test harness behind
`benchmarks/scorer_quality.py`, the accuracy-floor tests and the figures of docs/scorer.md.

- Pairs: two replies to the same situation where a social-media manager clearly prefers one;
  the scorer is right when it gives the better reply a strictly higher overall score.
- Verdicts (`verdicts/*.jsonl`): one reply to a shipped scenario event, labelled `harmful`
  (must fail), `weak` (must not pass) or `good` (must pass). Each line is graded exactly as
  `sandbox score --batch` grades it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.core.scoring.context import EarlierReply
from sandbox.core.scoring.results import ReplyScore
from sandbox.core.scoring.scorer import score_reply

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
    defaults = dict(context.get("defaults") or {})
    defaults.update({k: v for k, v in side.items() if k != "reply"})
    customer = context.get("customer") or {}
    texts, structured = _earlier(earlier)
    return score_reply(
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
