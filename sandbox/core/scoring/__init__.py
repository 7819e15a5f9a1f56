"""The scorer: grades replies against the editorial guidelines along A.C.E., with evidence.

Entry points: `score_reply(...)` for one reply, `score_run(...)` for a whole run, `Scorer` to
bind guidelines once. Results carry `SCORER_VERSION` and serialise with `.as_json()`.
"""

from sandbox.core.scoring.context import EarlierReply
from sandbox.core.scoring.requests import (
    ScoreRequestError,
    score_event_reply,
    score_post_reply,
)
from sandbox.core.scoring.results import (
    CRITERIA,
    SCORER_VERSION,
    CriterionScore,
    EventScore,
    Finding,
    ReplyScore,
    RunScore,
)
from sandbox.core.scoring.run import EventAttempts, ReplyAttempt, score_run
from sandbox.core.scoring.scorer import Scorer, score_reply, warm_up

__all__ = [
    "CRITERIA", "SCORER_VERSION", "CriterionScore", "EarlierReply", "EventAttempts",
    "EventScore", "Finding",
    "ReplyAttempt", "ReplyScore", "RunScore", "ScoreRequestError", "Scorer",
    "score_event_reply", "score_post_reply", "score_reply", "score_run", "warm_up",
]
