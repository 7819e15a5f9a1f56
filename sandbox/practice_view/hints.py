"""Live hints while a trainee types (practice mode only): what would fail the reply for sure."""

import logging
from dataclasses import dataclass

from sqlmodel import Session

from sandbox import runs
from sandbox.core.grading import grade_action
from sandbox.core.replay import ReplayError, TraineeAction
from sandbox.models import Run

log = logging.getLogger(__name__)

LIVE_CRITERIA = ("forbidden", "privacy", "length")


@dataclass(frozen=True)
class Hint:
    message: str
    critical: bool


def for_draft(session: Session, run: Run, *, event: str, action: str, text: str) -> list[Hint]:
    """Forbidden phrases, personal data in public and over-length text in the draft."""
    text = (text or "").strip()
    if run.mode != "practice" or run.finished_at is not None or not text:
        return []
    game = runs.played(session, run)
    draft = TraineeAction(at=runs.sim_now(run, game.scenario), action=action, event=event,
                          text=text)
    try:
        score = grade_action(game.scenario, game.guidelines, earlier=runs.trainee_actions(run),
                             action=draft)
    except ReplayError:  # a draft the replay cannot place (its event is gone): nothing to say
        return []
    except Exception:  # a scorer bug: hints are an aid, so the trainee keeps typing, but we hear
        log.exception("live hints failed for run %s, event %r", run.id, event)
        return []
    if score is None:
        return []
    found: dict[object, Hint] = {}  # words both the scenario and the brand forbid: said once
    for criterion in score.as_json()["criteria"]:
        if criterion["id"] in LIVE_CRITERIA and criterion["score"] < 100:
            for finding in criterion["findings"]:
                where = tuple(finding["span"]) if finding["span"] else finding["message"]
                found.setdefault(where, Hint(finding["message"], criterion["critical"]))
    return list(found.values())
