"""Database tables."""

import secrets
import time
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, Relationship, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(StrEnum):
    """What a person may do; a user may hold several."""

    TRAINEE = "trainee"
    TRAINER = "trainer"
    HR = "hr"
    ADMIN = "admin"


ROLE_NAMES = tuple(role.value for role in Role)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-case
    name: str = Field(max_length=120)
    password_hash: str = Field(max_length=255)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    # Part of every session and remember-me cookie: raising it signs the person out everywhere
    # (a new password, a reset, deactivation, "sign out of all devices").
    session_version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})

    roles: list["UserRole"] = Relationship(
        back_populates="user",
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"},
    )

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The id of a new sign-in, kept in the session and the remember-me cookie:
        "<user id>.<session version>.<issued, epoch seconds>.<random>", so no two sign-ins
        share a cookie, and sandbox.security refuses it once the session version moved on."""
        return f"{self.id}.{self.session_version}.{int(time.time())}.{secrets.token_urlsafe(9)}"

    @property
    def role_names(self) -> set[str]:
        return {link.role for link in self.roles}

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names & set(roles))


class UserRole(SQLModel, table=True):
    __tablename__ = "user_role"
    __table_args__ = (
        CheckConstraint(
            "role IN ('trainee', 'trainer', 'hr', 'admin')", name="ck_user_role_known_role"
        ),
    )

    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    )
    role: str = Field(primary_key=True, max_length=20)

    user: User = Relationship(back_populates="roles")


class EndedSignIn(SQLModel, table=True):
    """A sign-in ended with "Sign out" on its device: its session and remember-me cookie name
    it (User.get_id), and stop working even if someone kept a copy. Kept until the sign-in
    would have expired anyway."""

    __tablename__ = "ended_sign_in"

    sign_in: str = Field(primary_key=True, max_length=40)  # the random part of the id
    expires_at: datetime = Field(index=True)


class LoginAttempt(SQLModel, table=True):
    """One sign-in attempt, kept for throttling repeated failures."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)
    succeeded: bool
    at: datetime = Field(default_factory=utcnow, index=True)


# --- practice runs --------------------------------------------------------------------------


class ContentVersion(SQLModel, table=True):
    """The exact text of a scenario or guidelines file, as a run played it (content-addressed)."""

    __tablename__ = "content_version"

    digest: str = Field(primary_key=True, max_length=64)  # sha256 of the text
    kind: str = Field(max_length=20)  # scenario | guidelines
    slug: str = Field(max_length=120, index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Run(SQLModel, table=True):
    """One trainee playing one scenario; the feed is derived from it and its actions."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    )
    scenario_id: str = Field(max_length=120, index=True)
    scenario_digest: str = Field(foreign_key="content_version.digest", max_length=64)
    guidelines_digest: str = Field(foreign_key="content_version.digest", max_length=64)
    mode: str = Field(max_length=20)  # practice | exam
    speed: float = Field(default=1.0)
    started_at: datetime = Field(default_factory=utcnow)
    paused_at: datetime | None = None
    paused_seconds: float = Field(default=0.0)
    finished_at: datetime | None = None
    finished_sim_s: int | None = None
    overall: int | None = None
    result: dict | None = Field(default=None, sa_column=Column(JSON))
    scorer_version: str | None = Field(default=None, max_length=20)

    reviews: list["RunReview"] = Relationship(
        back_populates="run",
        # Every review is kept (the audit trail); the last one counts.
        sa_relationship_kwargs={"lazy": "selectin",
                                "order_by": "[RunReview.created_at, RunReview.id]",
                                "cascade": "all, delete-orphan"},
    )
    voids: list["RunVoid"] = Relationship(
        back_populates="run",
        # Every decision is kept (the audit trail); the last one counts.
        sa_relationship_kwargs={"lazy": "selectin",
                                "order_by": "[RunVoid.created_at, RunVoid.id]",
                                "cascade": "all, delete-orphan"},
    )
    actions: list["RunAction"] = Relationship(
        back_populates="run",
        # Two actions sent at the same moment may share a seq: the id breaks the tie.
        sa_relationship_kwargs={"lazy": "selectin", "order_by": "[RunAction.seq, RunAction.id]",
                                "cascade": "all, delete-orphan"},
    )


class RunAction(SQLModel, table=True):
    """Something the trainee did, at a simulated time decided by the server."""

    __tablename__ = "run_action"
    __table_args__ = (UniqueConstraint("run_id", "key", name="uq_run_action_key"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(
        sa_column=Column(Integer, ForeignKey("run.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    )
    key: str = Field(max_length=64)  # idempotency key sent by the client
    seq: int
    action: str = Field(max_length=20)
    event_id: str = Field(max_length=120)
    text: str | None = Field(default=None, sa_column=Column(Text))  # reply, DM or escalation note
    to: str | None = Field(default=None, max_length=120)  # the expert of an escalation
    sim_at: int
    created_at: datetime = Field(default_factory=utcnow)
    overall: int | None = None
    score: dict | None = Field(default=None, sa_column=Column(JSON))
    scorer_version: str | None = Field(default=None, max_length=20)

    run: Run = Relationship(back_populates="actions")


class RunReview(SQLModel, table=True):
    """A trainer's confirmation or correction of a run's score, with a comment.

    Reviews are never edited or deleted: a new review supersedes the previous one, and the
    whole list is the audit trail HR and the trainee can read.
    """

    __tablename__ = "run_review"
    __table_args__ = (
        UniqueConstraint("run_id", "key", name="uq_run_review_key"),
        CheckConstraint("decision IN ('confirmed', 'overridden')", name="ck_run_review_decision"),
        Index("ix_run_review_recent", "created_at", "id"),  # the latest reviews, at once
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(
        sa_column=Column(Integer, ForeignKey("run.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    )
    reviewer_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    )
    reviewer_name: str = Field(max_length=120)  # kept if the reviewer's account is removed
    key: str = Field(max_length=64)  # idempotency key: a double-clicked submit counts once
    decision: str = Field(max_length=20)  # confirmed | overridden
    scorer_overall: int  # what the run's score was when the trainer looked at it
    overall: int
    verdict: str = Field(max_length=20)
    dimensions: dict = Field(sa_column=Column(JSON, nullable=False))
    comment: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)

    run: Run = Relationship(back_populates="reviews")


class RunVoid(SQLModel, table=True):
    """A trainer's decision that a finished run is not evidence of anything (someone else at
    the keyboard, a technical failure, a mistaken exam), or that it is again after all.

    Never edited or deleted: the last decision counts, and the list is the audit trail shown on
    the debrief and on the person's page.
    """

    __tablename__ = "run_void"
    __table_args__ = (
        UniqueConstraint("run_id", "key", name="uq_run_void_key"),
        CheckConstraint("decision IN ('voided', 'restored')", name="ck_run_void_decision"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(
        sa_column=Column(Integer, ForeignKey("run.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    )
    trainer_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    )
    trainer_name: str = Field(max_length=120)  # kept if the trainer's account is removed
    key: str = Field(max_length=64)  # idempotency key: a double-clicked submit counts once
    decision: str = Field(max_length=20)  # voided | restored
    reason: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)

    run: Run = Relationship(back_populates="voids")


class RunSummary(SQLModel, table=True):
    """What the trainer and HR pages read of one finished run: the score that stands for it,
    what it is worth as evidence, its counts. Kept by the write path in the transaction that
    finishes, reviews, voids or re-grades the run (sandbox.talent_store), so that a board of
    10,000 people never opens a run's result or actions. `revision` grows with every change:
    each server process keeps a copy of the table and reads only what changed since."""

    __tablename__ = "run_summary"
    __table_args__ = (
        # the review queue: unreviewed runs, the longest waiting first
        Index("ix_run_summary_waiting", "reviewed", "finished_at", "run_id"),
    )

    run_id: int = Field(
        sa_column=Column(Integer, ForeignKey("run.id", ondelete="CASCADE"), primary_key=True,
                         autoincrement=False)
    )
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    )
    scenario_id: str = Field(max_length=120)
    language: str = Field(max_length=10)  # of the scenario version played
    mode: str = Field(max_length=20)
    started_at: datetime
    finished_at: datetime
    answered: int  # expected events answered (sandbox.evidence.answered_events)
    expected: int
    stopped_early: bool
    voided: bool  # the last void decision voids it
    overall: int  # the score that stands: the last review's, else the scorer's
    agility: int | None = None
    coherence: int | None = None
    efficiency: int | None = None
    verdict: str = Field(max_length=20)
    reviewed: bool
    graded: int  # replies the scorer graded in the run
    revision: int = Field(index=True)

    @property
    def id(self) -> int:
        """The run's id: a summary stands in for its run in lists and links."""
        return self.run_id


class FindingDispute(SQLModel, table=True):
    """A trainer's disagreement with one part of a run's score: a finding that is wrong, or a
    criterion scored too high or too low, with an optional comment. What the scorer said is
    copied in, so the calibration page and its export keep the case if the run is re-graded.
    Never edited or deleted."""

    __tablename__ = "finding_dispute"
    __table_args__ = (
        UniqueConstraint("run_id", "key", name="uq_finding_dispute_key"),
        CheckConstraint("kind IN ('wrong', 'too_high', 'too_low')",
                        name="ck_finding_dispute_kind"),
        CheckConstraint("label IS NULL OR label IN ('good', 'weak', 'harmful')",
                        name="ck_finding_dispute_label"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(
        sa_column=Column(Integer, ForeignKey("run.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    )
    trainer_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    )
    trainer_name: str = Field(max_length=120)
    key: str = Field(max_length=64)  # idempotency key: a double-clicked submit counts once
    event_id: str = Field(max_length=120)
    criterion: str = Field(max_length=40)
    kind: str = Field(max_length=20)  # wrong (a finding) | too_high | too_low (the criterion)
    finding: int | None = None  # index of the finding in the criterion, for `wrong`
    rule: str | None = Field(default=None, max_length=120)  # the finding's rule
    message: str = Field(sa_column=Column(Text, nullable=False))  # what the scorer said
    score: int  # the criterion's score then
    scorer_version: str = Field(max_length=20)
    label: str | None = Field(default=None, max_length=20)  # the reply: good | weak | harmful
    comment: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


# --- cohorts and assignments ----------------------------------------------------------------


class Cohort(SQLModel, table=True):
    """A group of trainees who practise the same scenarios (a team, an intake, a workshop)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    description: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)

    members: list["CohortMember"] = Relationship(
        back_populates="cohort",
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"},
    )
    assignments: list["Assignment"] = Relationship(
        back_populates="cohort",
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan",
                                "order_by": "[Assignment.due_on, Assignment.id]"},
    )
    invitations: list["Invitation"] = Relationship(
        back_populates="cohort",
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"},
    )
    owners: list["CohortOwner"] = Relationship(
        back_populates="cohort",
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan",
                                "order_by": "[CohortOwner.added_at, CohortOwner.user_id]"},
    )


class CohortOwner(SQLModel, table=True):
    """A trainer who may change a cohort: whoever created it and the co-trainers added since.

    A cohort without owners (made before ownership existed) stays open to every trainer.
    """

    __tablename__ = "cohort_owner"

    cohort_id: int = Field(
        sa_column=Column(Integer, ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True,
                         index=True)
    )
    added_at: datetime = Field(default_factory=utcnow)

    cohort: Cohort = Relationship(back_populates="owners")
    user: User = Relationship(sa_relationship_kwargs={"lazy": "selectin"})


class CohortMember(SQLModel, table=True):
    __tablename__ = "cohort_member"

    cohort_id: int = Field(
        sa_column=Column(Integer, ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True,
                         index=True)
    )
    added_at: datetime = Field(default_factory=utcnow)

    cohort: Cohort = Relationship(back_populates="members")
    user: User = Relationship(sa_relationship_kwargs={"lazy": "selectin"})


class Assignment(SQLModel, table=True):
    """A scenario a cohort is asked to play, in a mode, optionally by a date."""

    __table_args__ = (
        UniqueConstraint("cohort_id", "scenario_id", name="uq_assignment_scenario"),
        CheckConstraint("mode IN ('practice', 'exam')", name="ck_assignment_mode"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(
        sa_column=Column(Integer, ForeignKey("cohort.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    )
    scenario_id: str = Field(max_length=120)
    mode: str = Field(max_length=20)
    due_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow)

    cohort: Cohort = Relationship(back_populates="assignments")


class Invitation(SQLModel, table=True):
    """An invitation for someone without an account to join a cohort (the link holds a token
    whose hash only is stored)."""

    __table_args__ = (UniqueConstraint("cohort_id", "email", name="uq_invitation_email"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(
        sa_column=Column(Integer, ForeignKey("cohort.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    )
    email: str = Field(max_length=254)
    token_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime
    created_at: datetime = Field(default_factory=utcnow)

    cohort: Cohort = Relationship(back_populates="invitations")


# --- the scenario library: lifecycle and versions -------------------------------------------

LIBRARY_KINDS = ("scenario", "guidelines")


class LifecycleChange(SQLModel, table=True):
    """A library file moved to draft, published or archived (or a draft was deleted).

    Never edited: the latest change of a file is its state, and the list is the audit trail of
    who changed it and when. The file stays the source of the content (sandbox.lifecycle).
    """

    __tablename__ = "lifecycle_change"
    __table_args__ = (
        CheckConstraint("kind IN ('scenario', 'guidelines')", name="ck_lifecycle_change_kind"),
        CheckConstraint("state IN ('draft', 'published', 'archived', 'deleted')",
                        name="ck_lifecycle_change_state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    key: str = Field(max_length=120, index=True)  # the file's name without .yaml
    state: str = Field(max_length=20)
    actor_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    )
    actor_name: str = Field(max_length=120)  # kept if the account is removed
    at: datetime = Field(default_factory=utcnow)


class ContentRevision(SQLModel, table=True):
    """One saved version of a library file: its exact text (content_version), who saved it and
    when. A run names the version it played by the same digest (Run.scenario_digest)."""

    __tablename__ = "content_revision"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    key: str = Field(max_length=120, index=True)
    digest: str = Field(foreign_key="content_version.digest", max_length=64)
    author_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    )
    author_name: str = Field(max_length=120)
    note: str = Field(default="", max_length=200)  # created, saved, restored from version 2, ...
    at: datetime = Field(default_factory=utcnow)
