"""Trainers' reviews of finished runs: confirm the scorer's result, or override it with a comment.

A run's score is a practice signal until a trainer has looked at it. Reviews are never edited or
deleted: a new one supersedes the last, and the list is the audit trail the trainee and HR read.
`standing` gives the score that counts for a run, reviewed or not.
"""

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sandbox import runs, talent_store
from sandbox.core.scoring.results import verdict_for
from sandbox.core.scoring.rules import thresholds
from sandbox.models import Run, RunReview, RunSummary, User

DIMENSIONS = ("agility", "coherence", "efficiency")
COMMENT_LIMIT = 2000
DECISIONS = ("confirm", "override")


class ReviewError(ValueError):
    """Why a review cannot be recorded; the message is for a person."""


@dataclass(frozen=True)
class Standing:
    """The score that counts for a finished run: the last review's, else the scorer's."""

    overall: int
    verdict: str
    dimensions: dict[str, int]
    review: RunReview | None = None
    history: list[RunReview] = field(default_factory=list)

    @property
    def reviewed(self) -> bool:
        return self.review is not None

    @property
    def overridden(self) -> bool:
        return self.review is not None and self.review.decision == "overridden"


def standing(run: Run) -> Standing | None:
    """None while the run has no result (not finished)."""
    if not run.result:
        return None
    review = run.reviews[-1] if run.reviews else None
    if review is not None:
        return Standing(review.overall, review.verdict, dict(review.dimensions), review,
                        list(run.reviews))
    return Standing(int(run.overall or 0), str(run.result.get("verdict", "")),
                    dict(run.result.get("dimensions") or {}), None, [])


def pending(session: Session, limit: int = 200) -> list[RunSummary]:
    """Finished runs nobody has reviewed yet, the longest waiting first (their summaries:
    the score, its verdict and the run's id, without opening the runs)."""
    query = (select(RunSummary).where(col(RunSummary.reviewed).is_(False))
             .order_by(col(RunSummary.finished_at), col(RunSummary.run_id)).limit(limit))
    return list(session.exec(query))


def count_pending(session: Session) -> int:
    return session.exec(select(func.count()).select_from(RunSummary)
                        .where(col(RunSummary.reviewed).is_(False))).one()


def recent(session: Session, limit: int = 30) -> list[tuple[RunReview, RunSummary]]:
    """The latest reviews, newest first, each with the summary of its run."""
    query = (select(RunReview, RunSummary)
             .join(RunSummary, col(RunSummary.run_id) == col(RunReview.run_id))
             .order_by(col(RunReview.created_at).desc(), col(RunReview.id).desc()).limit(limit))
    return list(session.exec(query))


def _score(value: object, label: str) -> int:
    text = str(value if value is not None else "").strip()
    try:
        number = int(text)
    except ValueError:
        number = -1
    if not 0 <= number <= 100 or not text:
        raise ReviewError(f"{label} must be a whole number from 0 to 100.")
    return number


def record_review(*, session: Session, run: Run, reviewer: User, key: str, decision: str,
                  comment: str = "", overall: object = None,
                  dimensions: dict[str, object] | None = None) -> RunReview:
    """Confirm (`decision="confirm"`) or override the run's score; committed before returning.

    An override gives the new overall and any A.C.E. scores to change (a blank one keeps its
    current score) and needs a comment saying why. The
    same `key` sent twice (a double-clicked button) records one review.
    """
    key = (key or "").strip()[:64]
    if not key:
        raise ReviewError("This form is missing its submission key. Reload the page and try again.")
    existing = _by_key(session, run, key)
    if existing is not None:
        return existing
    if run.finished_at is None or not run.result:
        raise ReviewError("This run is not finished yet: there is nothing to review.")
    if run.user_id == reviewer.id:
        raise ReviewError("You cannot review your own run: ask another trainer.")
    if decision not in DECISIONS:
        raise ReviewError("Choose whether to confirm the score or change it.")
    comment = (comment or "").replace("\r\n", "\n").strip()
    if len(comment) > COMMENT_LIMIT:
        raise ReviewError(f"The comment is {len(comment)} characters; keep it under "
                          f"{COMMENT_LIMIT}.")
    current = standing(run)
    assert current is not None
    if decision == "confirm":
        values = {"overall": current.overall, **current.dimensions}
        verdict = current.verdict
        if _typed(overall, dimensions, values):
            raise ReviewError("You changed a score but chose Confirm: choose \"Save my scores\" "
                              "to change it, or put the numbers back.")
    else:
        given = dimensions or {}
        values = {"overall": _score(overall, "The overall score")}
        for name in DIMENSIONS:  # a dimension left blank keeps its current score, if it has one
            typed = str(given.get(name) if given.get(name) is not None else "").strip()
            if typed:
                values[name] = _score(typed, name.capitalize())
            elif name in current.dimensions:
                values[name] = current.dimensions[name]
        if not comment:
            raise ReviewError("Say why you changed the score: the trainee and HR read your "
                              "comment.")
        if values == {"overall": current.overall, **current.dimensions}:
            raise ReviewError("These are the current scores: change one, or confirm instead.")
        guidelines = runs.played(session, run).guidelines
        verdict = verdict_for(values["overall"], *thresholds(guidelines))
    review = RunReview(
        run_id=run.id, reviewer_id=reviewer.id, reviewer_name=reviewer.name, key=key,
        decision="confirmed" if decision == "confirm" else "overridden",
        scorer_overall=int(run.overall or 0), overall=values["overall"], verdict=verdict,
        dimensions={name: values[name] for name in DIMENSIONS if name in values},
        comment=comment)
    run.reviews.append(review)  # the last one: it now stands for the run
    talent_store.record(session, run)
    try:
        session.commit()
    except IntegrityError:  # the same key raced in from another request: keep the first
        session.rollback()
        found = _by_key(session, run, key)
        assert found is not None
        return found
    session.refresh(run)
    return review


def _typed(overall: object, dimensions: dict[str, object] | None,
           current: dict[str, int]) -> bool:
    """Whether the form carried numbers that differ from the current ones."""
    given = {"overall": overall, **(dimensions or {})}
    for name, value in given.items():
        text = str(value if value is not None else "").strip()
        if text and name in current and text != str(current[name]):
            return True
    return False


def _by_key(session: Session, run: Run, key: str) -> RunReview | None:
    return session.exec(select(RunReview).where(RunReview.run_id == run.id,
                                                RunReview.key == key)).first()
