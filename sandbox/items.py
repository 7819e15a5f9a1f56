"""Item analysis for trainers: per scenario and per event, over the counted exam runs (the same
evidence as the talent board), how hard each event is, whether it separates strong and weak
trainees, which criteria fail most on it and which branches fire. The statistics are in
sandbox.core.items; this module reads the runs and replays their branches."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from sandbox import runs as run_store
from sandbox.core.items import Analysis, EventScore, RunItems, analyse
from sandbox.core.replay import fired_branches
from sandbox.core.replay.summary import describe_condition
from sandbox.evidence import COUNTED, EvidenceRules, evidence_of
from sandbox.models import Run
from sandbox.reviews import standing


@dataclass
class ScenarioItems:
    slug: str
    analysis: Analysis


def branch_label(branch) -> str:
    return f"{describe_condition(branch)} → {branch.goto}"


def run_items(session: Session, run: Run, rest: float | None = None) -> RunItems:
    """One run's event scores and fired branches; the replay is a pure function of the run's
    actions, so the branches are recomputed exactly as the debrief shows them."""
    events = []
    for event in (run.result or {}).get("events", []):
        result = event.get("result") or {}
        events.append(EventScore(
            event=event["event"], score=float(result.get("overall", 0)),
            passed=result.get("verdict") == "pass", missed=bool(event.get("missed")),
            criteria=tuple((c["id"], float(c["score"])) for c in result.get("criteria", []))))
    game = run_store.played(session, run)
    fired = fired_branches(game.scenario, at=run.finished_sim_s or game.scenario.duration,
                           actions=run_store.trainee_actions(run))
    return RunItems(tuple(events), rest, tuple((b.event, branch_label(b)) for b in fired))


def counted_runs(session: Session, rules: EvidenceRules) -> dict[str, list[Run]]:
    """Counted exam runs by scenario (oldest first)."""
    found: dict[str, list[Run]] = {}
    query = select(Run).where(Run.mode == "exam", col(Run.finished_at).is_not(None),
                              col(Run.result).is_not(None))
    for run in session.exec(query.order_by(col(Run.finished_at), col(Run.id))):
        if evidence_of(session, run, rules).kind == COUNTED:
            found.setdefault(run.scenario_id, []).append(run)
    return found


def analysis(session: Session, *, rules: EvidenceRules | None = None) -> list[ScenarioItems]:
    """Every scenario with counted exam runs, most runs first."""
    rules = rules or EvidenceRules()
    by_scenario = counted_runs(session, rules)
    scores: dict[int, list[tuple[int, float]]] = {}  # user -> (run id, overall that stands)
    for found in by_scenario.values():
        for run in found:
            standing_score = standing(run)
            if standing_score is not None:
                scores.setdefault(run.user_id, []).append((run.id, standing_score.overall))

    def rest(run: Run) -> float | None:
        others = [score for run_id, score in scores.get(run.user_id, ()) if run_id != run.id]
        return sum(others) / len(others) if others else None

    report = []
    for slug, found in by_scenario.items():
        latest = (found[-1].result or {}).get("events", [])
        order = [event["event"] for event in latest]
        scored = [run_items(session, run, rest(run)) for run in found]
        report.append(ScenarioItems(slug, analyse(scored, order)))
    report.sort(key=lambda s: (-s.analysis.runs, s.slug))
    return report
