"""The scorer: grades replies against the editorial guidelines along A.C.E., with evidence.

Entry points: `score_attempt(attempt, guidelines)` for one reply (attempts are built by
`sandbox.core.grading`, the one path every caller takes), `score_run(...)` for a whole run,
`score_reply(...)` to grade a reply given as keywords (tests, notebooks). Results carry
`SCORER_VERSION` and serialise with `.as_json()`.
"""

from sandbox.core.scoring.attempt import Attempt, EarlierReply, LaterAction
from sandbox.core.scoring.results import (
    CRITERIA,
    SCORER_VERSION,
    CriterionScore,
    EventScore,
    Finding,
    ReplyScore,
    RunScore,
)
from sandbox.core.scoring.run import EventAttempts, Sent, score_run
from sandbox.core.scoring.scorer import score_attempt, score_reply

__all__ = [
    "CRITERIA", "SCORER_VERSION", "Attempt", "CriterionScore", "EarlierReply", "EventAttempts",
    "EventScore", "Finding", "LaterAction", "ReplyScore", "RunScore", "Sent",
    "score_attempt", "score_reply", "score_run",
]
