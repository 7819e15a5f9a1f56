"""How often trainers agree with the scorer: their disputes of single findings and criterion
scores, and the agreement figures of the Calibration page, per scorer version and scenario.

Every review is a person's judgement of a scored run: the page compares the scorer's verdict
and scores with the trainer's (the last review of each run), and lists the criteria and rules
trainers dispute most, with examples. `export_lines` turns disputed replies into lines of the
scorer benchmark's verdict sets (tests/data/scorer/verdicts/README.md).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sandbox import runs
from sandbox.core.agreement import Estimate, kappa, mean_absolute_difference
from sandbox.core.replay import compile_scenario, expected_replies
from sandbox.core.vocabulary import ANSWERS
from sandbox.models import FindingDispute, Run, RunReview, User

DIMENSIONS = ("agility", "coherence", "efficiency")
KINDS = {"wrong": "finding is wrong", "too_high": "score too high", "too_low": "score too low"}
LABELS = {"good": "good: fine to post", "weak": "weak: nothing the customer can use",
          "harmful": "harmful: must never be posted"}
COMMENT_LIMIT = 1000
EXAMPLES = 3


class DisputeError(ValueError):
    """Why a dispute cannot be recorded; the message is for a person."""


def _criteria(run: Run, event_id: str) -> dict[str, dict]:
    for event in (run.result or {}).get("events", []):
        if event.get("event") == event_id:
            return {c["id"]: c for c in event["result"].get("criteria", [])}
    return {}


def record_dispute(*, session: Session, run: Run, trainer: User, key: str, event: str,
                   criterion: str, what: str, label: str = "", comment: str = ""
                   ) -> FindingDispute:
    """Record that a finding of the run's score is wrong (`what="wrong:<index>"`), or that a
    criterion scored too high or too low (`what="too_high"`, `"too_low"`); committed before
    returning. The same `key` twice (a double-click) records one dispute."""
    key = (key or "").strip()[:64]
    if not key:
        raise DisputeError("This form is missing its submission key. Reload the page and try "
                           "again.")
    existing = _by_key(session, run, key)
    if existing is not None:
        return existing
    if run.finished_at is None or not run.result:
        raise DisputeError("This run is not finished yet: there is nothing to dispute.")
    if run.user_id == trainer.id:
        raise DisputeError("You cannot dispute the score of your own run: ask another trainer.")
    found = _criteria(run, event).get(criterion)
    if found is None:
        raise DisputeError("That criterion is not part of this run's score: reload the page.")
    kind, _, index = (what or "").partition(":")
    findings = found.get("findings") or []
    if kind not in KINDS or (kind == "wrong") != bool(index):
        raise DisputeError("Choose what is wrong: a finding, or the score too high or too low.")
    finding = None
    message = f"{criterion} scored {found['score']}"
    rule = None
    if kind == "wrong":
        if not index.isdigit() or int(index) >= len(findings):
            raise DisputeError("That finding is not part of this criterion: reload the page.")
        finding = int(index)
        message, rule = findings[finding]["message"], findings[finding].get("rule")
    if label and label not in LABELS:
        raise DisputeError("Say whether the reply is good, weak or harmful, or leave it blank.")
    comment = (comment or "").replace("\r\n", "\n").strip()
    if len(comment) > COMMENT_LIMIT:
        raise DisputeError(f"The comment is {len(comment)} characters; keep it under "
                           f"{COMMENT_LIMIT}.")
    dispute = FindingDispute(
        run_id=run.id, trainer_id=trainer.id, trainer_name=trainer.name, key=key,
        event_id=event, criterion=criterion, kind=kind, finding=finding, rule=rule,
        message=message, score=int(found["score"]),
        scorer_version=str(run.scorer_version or run.result.get("scorer", "")),
        label=label or None, comment=comment)
    session.add(dispute)
    try:
        session.commit()
    except IntegrityError:  # the same key raced in from another request: keep the first
        session.rollback()
        return _by_key(session, run, key)
    return dispute


def _by_key(session: Session, run: Run, key: str) -> FindingDispute | None:
    return session.exec(select(FindingDispute).where(FindingDispute.run_id == run.id,
                                                     FindingDispute.key == key)).first()


def disputes_of(session: Session, run: Run) -> list[FindingDispute]:
    return list(session.exec(select(FindingDispute).where(FindingDispute.run_id == run.id)
                             .order_by(col(FindingDispute.created_at), col(FindingDispute.id))))


def kappa_words(value: float) -> str:
    """Landis and Koch's (1977) words for a kappa, the ones the literature reads."""
    for ceiling, words in ((0, "poor"), (0.2, "slight"), (0.4, "fair"), (0.6, "moderate"),
                           (0.8, "substantial")):
        if value <= ceiling:
            return words
    return "almost perfect"


# --- the Calibration page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Disputed:
    """A criterion or rule trainers disputed, how often, with a few cases."""

    criterion: str
    rule: str | None
    count: int
    examples: tuple[FindingDispute, ...]


@dataclass
class Agreement:
    """The scorer against the trainers over a set of reviewed runs."""

    runs: int = 0  # runs a trainer reviewed or disputed part of
    compared: int = 0  # runs with a review: the scorer's verdict and scores against the trainer's
    findings: int = 0  # findings in those runs' scores
    disputes: int = 0
    verdicts: Estimate | None = None  # Cohen's kappa on pass / coach / fail
    agreed: int = 0  # runs where both gave the same verdict
    overall: Estimate | None = None  # mean |scorer - trainer| on the overall score
    dimensions: dict[str, Estimate | None] = field(default_factory=dict)


@dataclass
class VersionReport:
    version: str
    agreement: Agreement
    disputed: list[Disputed]
    scenarios: dict[str, Agreement]
    # "2026-03" -> the agreement over the runs finished that month, oldest first
    months: dict[str, Agreement] = field(default_factory=dict)


def _agreement(reviewed: list[tuple[Run, RunReview]], disputes: list[FindingDispute],
               looked_at: dict[int, Run]) -> Agreement:
    pairs = [(str(run.result.get("verdict")), review.verdict) for run, review in reviewed]
    dims = {d: [(run.result["dimensions"][d], review.dimensions[d]) for run, review in reviewed
                if d in (run.result.get("dimensions") or {}) and d in review.dimensions]
            for d in DIMENSIONS}
    runs_seen = {run.id: run for run, _ in reviewed}
    runs_seen.update({d.run_id: looked_at[d.run_id] for d in disputes if d.run_id in looked_at})
    findings = sum(len(c.get("findings") or ()) for run in runs_seen.values()
                   for event in run.result.get("events", [])
                   for c in event["result"].get("criteria", []))
    return Agreement(
        runs=len(runs_seen), compared=len(reviewed), findings=findings, disputes=len(disputes),
        verdicts=kappa(pairs), agreed=sum(1 for a, b in pairs if a == b),
        overall=mean_absolute_difference([(review.scorer_overall, review.overall)
                                          for _, review in reviewed]),
        dimensions={d: mean_absolute_difference(values) for d, values in dims.items()})


def report(session: Session) -> list[VersionReport]:
    """Per scorer version (newest first): agreement over every run a trainer reviewed (its last
    review), the most disputed criteria and rules with examples, and the same per scenario."""
    reviewed: dict[str, list[tuple[Run, RunReview]]] = defaultdict(list)
    query = select(Run).where(col(Run.result).is_not(None), col(Run.finished_at).is_not(None))
    for run in session.exec(query.order_by(col(Run.id))):
        if run.reviews:
            reviewed[str(run.scorer_version or run.result.get("scorer", ""))].append(
                (run, run.reviews[-1]))
    disputes: dict[str, list[FindingDispute]] = defaultdict(list)
    for dispute in session.exec(select(FindingDispute).order_by(
            col(FindingDispute.created_at).desc(), col(FindingDispute.id).desc())):
        disputes[dispute.scorer_version].append(dispute)
    looked_at = {run.id: run for pairs in reviewed.values() for run, _ in pairs}
    missing = {d.run_id for found in disputes.values() for d in found} - set(looked_at)
    if missing:
        looked_at.update({run.id: run for run in session.exec(
            select(Run).where(col(Run.id).in_(missing)))})
    reports = []
    for version in sorted(set(reviewed) | set(disputes), key=_version_key, reverse=True):
        pairs, found = reviewed.get(version, []), disputes.get(version, [])
        scenario_of = {run_id: run.scenario_id for run_id, run in looked_at.items()}
        scenarios = sorted({run.scenario_id for run, _ in pairs}
                           | {scenario_of.get(d.run_id, "") for d in found} - {""})
        month_of = {run_id: month(run) for run_id, run in looked_at.items()}
        months = sorted({month(run) for run, _ in pairs}
                        | {month_of.get(d.run_id, "") for d in found} - {""})
        reports.append(VersionReport(
            version, _agreement(pairs, found, looked_at), most_disputed(found),
            {slug: _agreement([p for p in pairs if p[0].scenario_id == slug],
                              [d for d in found if scenario_of.get(d.run_id) == slug],
                              looked_at)
             for slug in scenarios},
            {when: _agreement([p for p in pairs if month(p[0]) == when],
                              [d for d in found if month_of.get(d.run_id) == when], looked_at)
             for when in months}))
    return reports


def month(run: Run) -> str:
    """The month a run was finished in ("2026-03"): drift is read month by month."""
    return f"{run.finished_at:%Y-%m}" if run.finished_at else ""


def _version_key(version: str) -> tuple:
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


def most_disputed(disputes: list[FindingDispute], size: int = 8) -> list[Disputed]:
    """The criteria (and, for wrong findings, the rules) disputed most, newest cases first."""
    groups: dict[tuple[str, str | None], list[FindingDispute]] = defaultdict(list)
    for dispute in disputes:
        groups[(dispute.criterion, dispute.rule)].append(dispute)
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0][0], item[0][1] or ""))
    return [Disputed(criterion, rule, len(found), tuple(found[:EXAMPLES]))
            for (criterion, rule), found in ranked[:size]]


# --- the export for the scorer benchmark ------------------------------------------------------


@dataclass(frozen=True)
class Export:
    lines: list[dict]
    unlabelled: int  # disputed replies left out: no trainer said whether they are good


def export_lines(session: Session, *, scorer: str | None = None) -> Export:
    """The disputed replies as verdict-set lines (one per reply; the trainer's label; the
    disputes in `note` and `dispute`), oldest first. A reply no trainer labelled is left out
    and counted: the benchmark needs to know what the reply is worth, not only that a finding
    was wrong."""
    query = select(FindingDispute).order_by(col(FindingDispute.created_at),
                                            col(FindingDispute.id))
    if scorer:
        query = query.where(FindingDispute.scorer_version == scorer)
    by_reply: dict[tuple[int, str], list[FindingDispute]] = defaultdict(list)
    for dispute in session.exec(query):
        by_reply[(dispute.run_id, dispute.event_id)].append(dispute)
    lines, unlabelled = [], 0
    for (run_id, event_id), found in by_reply.items():
        labels = Counter(d.label for d in found if d.label)
        run = session.get(Run, run_id)
        line = _reply_line(session, run, event_id) if run is not None else None
        if line is None:
            continue
        if not labels:
            unlabelled += 1
            continue
        line = {"id": f"trainer-run{run_id}-{event_id}", **line}
        line.update({
            "label": labels.most_common(1)[0][0], "harm": None, "form": None,
            "note": "; ".join(f"{d.trainer_name}: {d.criterion} {KINDS[d.kind]}"
                              f"{' (' + d.message + ')' if d.kind == 'wrong' else ''}"
                              f"{' - ' + d.comment if d.comment else ''}" for d in found),
            "dispute": [{"criterion": d.criterion, "kind": d.kind, "rule": d.rule,
                         "message": d.message, "score": d.score, "scorer": d.scorer_version}
                        for d in found]})
        lines.append(line)
    return Export(lines, unlabelled)


def _reply_line(session: Session, run: Run, event_id: str) -> dict | None:
    """The `sandbox score --batch` request for the reply the run's score graded on the event."""
    game = runs.played(session, run)
    compiled = compile_scenario(game.scenario)
    actions = runs.trainee_actions(run)
    shown = next((e.shown_at for e in expected_replies(compiled, at=run.finished_sim_s or 0,
                                                       actions=actions)
                  if e.event == event_id), None)
    result = next((e for e in run.result.get("events", []) if e.get("event") == event_id), {})
    on_event = [a for a in run.actions if (compiled.canonical(a.event_id) or a.event_id)
                == event_id]
    texts = [a for a in on_event if a.action in ANSWERS and a.score is not None]
    if shown is None or not texts:
        return None
    index = result.get("reply_index")
    best = texts[index] if isinstance(index, int) and 0 <= index < len(texts) else texts[0]
    also = sorted({a.action for a in on_event if a is not best and a.action != best.action
                   and a.action in ("escalate", "move_to_dm", "like", "hide")})
    line = {"scenario": f"scenarios/{run.scenario_id}.yaml", "event": event_id,
            "action": best.action, "after": _duration(max(0, best.sim_at - shown)),
            "reply": best.text}
    if also:
        line["also"] = also
    target = next((a.to for a in on_event if a.action == "escalate" and a.to), None)
    if target:
        line["to"] = target
    return line


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}m{rest}s" if minutes and rest else f"{minutes}m" if minutes else f"{rest}s"
