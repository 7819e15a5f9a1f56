"""Cohorts: who practises together, which scenarios they are asked to play, invitations to join.

A trainer adds people by e-mail: someone with an account joins at once; anyone else gets an
invitation link (valid INVITATION_DAYS) to choose their name and password, which creates a trainee
account in the cohort. Only a hash of the link's token is stored. Assignments ask a cohort to play
a scenario (practice or exam, optionally by a date); a trainee's dashboard lists theirs with what
they have done.

Ownership: a cohort's owners (its creator and the co-trainers they add) and administrators change
it; other trainers read it. A cohort without owners (made before ownership existed) is open to
every trainer until someone gives it one.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Row, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload
from sqlmodel import Session, col, select

from sandbox import accounts
from sandbox.core.wording import sentence
from sandbox.models import (
    Assignment,
    Cohort,
    CohortMember,
    CohortOwner,
    Invitation,
    Role,
    Run,
    RunSummary,
    User,
    UserRole,
    utcnow,
)

INVITATION_DAYS = 14
MODES = ("practice", "exam")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CohortError(ValueError):
    """Why a cohort change cannot be made; the message is for a person."""


# ---------------------------------------------------------------- cohorts


def all_cohorts(session: Session) -> list[Cohort]:
    return list(session.exec(select(Cohort).order_by(col(Cohort.name))))


def cohort_names(session: Session) -> dict[int, str]:
    """Every cohort's name by id, in name order, without loading who is in them."""
    return dict(session.exec(select(Cohort.id, Cohort.name).order_by(col(Cohort.name))).all())


def create_cohort(session: Session, *, name: str, description: str = "",
                  owner: User | None = None) -> Cohort:
    """A new cohort, owned by `owner` (whoever creates it)."""
    name, description = " ".join((name or "").split()), (description or "").strip()
    if not name:
        raise CohortError("Give the cohort a name, e.g. \"Customer care - spring intake\".")
    if len(name) > 120 or len(description) > 500:
        raise CohortError("Keep the name under 120 characters and the description under 500.")
    if session.exec(select(Cohort).where(Cohort.name == name)).first():
        raise CohortError(f"There is already a cohort called \"{name}\".")
    cohort = Cohort(name=name, description=description)
    if owner is not None:
        cohort.owners.append(CohortOwner(user_id=owner.id))
    session.add(cohort)
    _commit(session, f"There is already a cohort called \"{name}\".")
    return cohort


def delete_cohort(session: Session, cohort: Cohort) -> None:
    """The cohort, its members list, assignments and invitations go; runs and accounts stay."""
    session.delete(cohort)
    session.commit()


def _commit(session: Session, conflict: str) -> None:
    try:
        session.commit()
    except IntegrityError:  # a concurrent request made the same change first
        session.rollback()
        raise CohortError(conflict) from None


# ---------------------------------------------------------------- ownership


def can_change(user: User, cohort: Cohort) -> bool:
    """Administrators change every cohort; trainers change the cohorts they own, and the
    cohorts nobody owns yet. Everyone else with access reads."""
    if user.has_role(Role.ADMIN):
        return True
    if not user.has_role(Role.TRAINER):
        return False
    return not cohort.owners or any(owner.user_id == user.id for owner in cohort.owners)


def possible_owners(session: Session, cohort: Cohort) -> list[User]:
    """The active trainer accounts that do not own the cohort yet, by name."""
    owners = {owner.user_id for owner in cohort.owners}
    trainers = (select(User).join(UserRole)
                .where(UserRole.role == Role.TRAINER.value, col(User.is_active))
                .order_by(func.lower(User.name)))
    return [user for user in session.exec(trainers) if user.id not in owners]


def add_owner(session: Session, cohort: Cohort, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.is_active or not user.has_role(Role.TRAINER):
        raise CohortError("Choose an active trainer account: only trainers own cohorts.")
    if any(owner.user_id == user.id for owner in cohort.owners):
        raise CohortError(f"{user.name} already owns this cohort.")
    session.add(CohortOwner(cohort_id=cohort.id, user_id=user.id))
    _commit(session, f"{user.name} already owns this cohort.")
    session.refresh(cohort)
    return user


def remove_owner(session: Session, cohort: Cohort, user_id: int) -> None:
    """An owner steps back; the last one stays, or the cohort would be open to every trainer."""
    owner = session.get(CohortOwner, (cohort.id, user_id))
    if owner is None:
        return
    if len(cohort.owners) == 1:
        raise CohortError("A cohort keeps at least one owner: add another trainer before "
                          "removing the last one.")
    _remove(session, cohort, owner)


# ---------------------------------------------------------------- members and invitations


@dataclass
class Added:
    """What adding a list of e-mails did."""

    joined: list[User]
    already: list[User]
    invited: list[tuple[str, str]]  # (e-mail, token for the link) — shown once
    problems: list[tuple[str, str]]  # (what was typed, why it was not added)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_people(session: Session, cohort: Cohort, text: str,
               now: datetime | None = None) -> Added:
    """Add everyone in `text` (e-mails separated by new lines, commas or spaces)."""
    result = Added([], [], [], [])
    wanted = [e for e in re.split(r"[\s,;]+", text or "") if e]
    if not wanted:
        raise CohortError("Type at least one e-mail address.")
    if len(wanted) > 500:
        raise CohortError("Add at most 500 people at a time.")
    members = {m.user_id for m in cohort.members}
    invited = {i.email: i for i in cohort.invitations}
    now = now or utcnow()
    for raw in dict.fromkeys(wanted):
        email = accounts.normalise_email(raw)
        if len(email) > accounts.MAX_EMAIL or not _EMAIL.match(email):
            result.problems.append((raw[:254], f"\"{raw[:80]}\" is not an e-mail address"
                                    + (f" (at most {accounts.MAX_EMAIL} characters)."
                                       if len(email) > accounts.MAX_EMAIL else ".")))
            continue
        user = accounts.find_user(session, email)
        if user is not None:
            if user.id in members:
                result.already.append(user)
            elif not user.is_active:
                result.problems.append((email, f"{email}'s account is deactivated; an "
                                                "administrator can reactivate it."))
            elif not user.has_role("trainee"):
                result.problems.append((email, f"{email} is not a trainee account: cohorts "
                                                "gather the people who practise; an "
                                                "administrator can add the trainee role."))
            else:
                session.add(CohortMember(cohort_id=cohort.id, user_id=user.id))
                members.add(user.id)
                result.joined.append(user)
            continue
        waiting = invited.get(email)
        if waiting is not None and _aware(waiting.expires_at) > now:
            # sending the form again must not kill the link the person already has
            result.problems.append((email, f"{email} already has an invitation waiting; "
                                            "use New link beside it if they lost the first one."))
            continue
        token = secrets.token_urlsafe(24)
        invitation = waiting or Invitation(cohort_id=cohort.id, email=email,
                                                      token_hash="", expires_at=now)
        invitation.token_hash = _token_hash(token)
        invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
        session.add(invitation)
        invited[email] = invitation
        result.invited.append((email, token))
    _commit(session, "Someone else changed this cohort at the same moment; try again.")
    session.refresh(cohort)
    return result


def _remove(session: Session, cohort: Cohort,
            row: CohortMember | CohortOwner | Invitation | Assignment | None) -> None:
    """Delete one of the cohort's rows; a row of another cohort (a forged id) is left alone."""
    if row is not None and row.cohort_id == cohort.id:
        session.delete(row)
        session.commit()
        session.refresh(cohort)


def remove_member(session: Session, cohort: Cohort, user_id: int) -> None:
    _remove(session, cohort, session.get(CohortMember, (cohort.id, user_id)))


def revoke_invitation(session: Session, cohort: Cohort, invitation_id: int) -> None:
    _remove(session, cohort, session.get(Invitation, invitation_id))


def renew_invitation(session: Session, cohort: Cohort, invitation_id: int,
                     now: datetime | None = None) -> tuple[str, str]:
    """A fresh link (the old one stops working), valid INVITATION_DAYS from now."""
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.cohort_id != cohort.id:
        raise CohortError("This invitation no longer exists.")
    token = secrets.token_urlsafe(24)
    invitation.token_hash = _token_hash(token)
    invitation.expires_at = (now or utcnow()) + timedelta(days=INVITATION_DAYS)
    session.add(invitation)
    session.commit()
    return invitation.email, token


def find_invitation(session: Session, token: str, now: datetime | None = None) -> Invitation:
    """The invitation a link's token opens; CohortError when unknown, used or expired."""
    invitation = session.exec(select(Invitation).where(
        Invitation.token_hash == _token_hash(token or ""))).first()
    if invitation is None:
        raise CohortError("This invitation link is not valid: it may have been used already or "
                          "replaced by a newer one. Ask your trainer for a new link.")
    if _aware(invitation.expires_at) < (now or utcnow()):
        raise CohortError("This invitation link has expired. Ask your trainer for a new one.")
    return invitation


def accept_invitation(session: Session, token: str, *, name: str, password: str,
                      now: datetime | None = None) -> User:
    """Create the invited person's trainee account, in the cohort; the link is used up."""
    invitation = find_invitation(session, token, now)
    try:
        user = accounts.create_user(session=session, email=invitation.email, name=name,
                                    password=password, roles=["trainee"])
    except accounts.AccountExists:  # the same form sent twice (a double click)
        session.rollback()
        raise CohortError(_USED) from None
    except accounts.AccountError as problem:
        session.rollback()
        raise CohortError(sentence(str(problem))) from None
    session.add(CohortMember(cohort_id=invitation.cohort_id, user_id=user.id))
    session.delete(invitation)
    _commit(session, _USED)
    return user


_USED = "This invitation was just used. Sign in with your new account."


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---------------------------------------------------------------- assignments


def assign(session: Session, cohort: Cohort, *, scenario_id: str, mode: str,
           due_on: str | date | None = None, known: set[str] | None = None,
           today: date | None = None) -> Assignment:
    """Ask the cohort to play a scenario (`known`: the playable scenario slugs)."""
    if known is not None and scenario_id not in known:
        raise CohortError("Choose a scenario from the library (only published scenarios without "
                          "errors can be assigned; drafts and archived ones cannot).")
    if mode not in MODES:
        raise CohortError("Choose practice or exam mode.")
    due = _due(due_on)
    if due is not None and due < (today or utcnow().date()):
        raise CohortError(f"The due date {due:%d %b %Y} has passed: choose today or later, "
                          "or leave it empty.")
    if any(a.scenario_id == scenario_id for a in cohort.assignments):
        raise CohortError("This scenario is already assigned to the cohort.")
    assignment = Assignment(cohort_id=cohort.id, scenario_id=scenario_id, mode=mode, due_on=due)
    session.add(assignment)
    _commit(session, "This scenario is already assigned to the cohort.")
    session.refresh(cohort)
    return assignment


def _due(value: str | date | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise CohortError("Give the due date as a date (YYYY-MM-DD), or leave it empty.") from None


def unassign(session: Session, cohort: Cohort, assignment_id: int) -> None:
    _remove(session, cohort, session.get(Assignment, assignment_id))


@dataclass
class Progress:
    """One trainee on one assignment: nothing yet, a run in progress, or a finished run."""

    assignment: Assignment
    cohort: Cohort
    # the finished run that counts (the best), else the latest one started: rows with its id
    run: Row | None
    score: Row | None  # of the finished run: the score that stands for it, and `reviewed`

    @property
    def status(self) -> str:
        if self.score is not None:
            return "done"
        return "started" if self.run is not None else "todo"

    def overdue(self, today: date) -> bool:
        due = self.assignment.due_on
        return due is not None and self.status != "done" and due < today


def _progress(assignment: Assignment, cohort: Cohort, best: dict, latest: dict) -> Progress:
    """Every run of the scenario in the assignment's mode counts for it (the best finished one
    stands: the first of the best, in run order), also one played before it was assigned;
    without one, the latest run started. `best` and `latest` are a person's, by (scenario,
    mode) (_runs_of)."""
    key = (assignment.scenario_id, assignment.mode)
    if key in best:
        return Progress(assignment, cohort, best[key], best[key])
    return Progress(assignment, cohort, latest.get(key), None)


def _runs_of(session: Session, user_ids: list[int], scenarios: set[str]
             ) -> tuple[dict[int, dict], dict[int, dict]]:
    """For each person, by (scenario, mode) of the `scenarios` assigned: the summary of their
    best finished run (its id, score and whether it was reviewed), and their latest run still
    in progress."""
    best: dict[int, dict] = {}
    latest: dict[int, dict] = {}
    if not user_ids or not scenarios:
        return best, latest
    for found in session.exec(
            select(RunSummary.run_id.label("id"), RunSummary.user_id, RunSummary.scenario_id,
                   RunSummary.mode, RunSummary.overall, RunSummary.reviewed)
            .where(col(RunSummary.user_id).in_(user_ids),
                   col(RunSummary.scenario_id).in_(scenarios))
            .order_by(col(RunSummary.run_id))):
        mine = best.setdefault(found.user_id, {})
        key = (found.scenario_id, found.mode)
        if key not in mine or found.overall > mine[key].overall:
            mine[key] = found
    for found in session.exec(
            select(Run.id, Run.user_id, Run.scenario_id, Run.mode, Run.started_at)
            .where(col(Run.user_id).in_(user_ids), col(Run.finished_at).is_(None))
            .order_by(col(Run.id))):
        mine = latest.setdefault(found.user_id, {})
        key = (found.scenario_id, found.mode)
        if key not in mine or _aware(found.started_at) > _aware(mine[key].started_at):
            mine[key] = found
    return best, latest


def assignments_for(session: Session, user: User) -> list[Progress]:
    """Every assignment of the user's cohorts, with what they have done, soonest due first."""
    cohorts = session.exec(select(Cohort).join(CohortMember)
                           .options(lazyload(Cohort.members), lazyload(Cohort.invitations),
                                    lazyload(Cohort.owners))
                           .where(CohortMember.user_id == user.id)).all()
    best, latest = _runs_of(session, [user.id],
                            {a.scenario_id for c in cohorts for a in c.assignments})
    found = [_progress(a, c, best.get(user.id, {}), latest.get(user.id, {}))
             for c in cohorts for a in c.assignments]
    return sorted(found, key=lambda p: (p.status == "done", p.assignment.due_on or date.max,
                                        p.assignment.id or 0))


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    email: str


def members_of(session: Session, cohort: Cohort) -> list[Member]:
    """The cohort's members by name (without loading their accounts)."""
    found = session.exec(select(CohortMember.user_id, User.name, User.email)
                         .join(User, col(User.id) == col(CohortMember.user_id))
                         .where(CohortMember.cohort_id == cohort.id)
                         .order_by(col(CohortMember.user_id)))
    return sorted((Member(*row) for row in found), key=lambda m: m.name.lower())


def cohort_progress(session: Session, cohort: Cohort, members: list[int] | None = None
                    ) -> dict[tuple[int, int], Progress]:
    """(user id, assignment id) -> progress, for the cohort page's grid."""
    if members is None:
        members = [m.user_id for m in cohort.members]
    best, latest = _runs_of(session, members, {a.scenario_id for a in cohort.assignments})
    return {(user_id, a.id): _progress(a, cohort, best.get(user_id, {}),
                                       latest.get(user_id, {}))
            for user_id in members for a in cohort.assignments if a.id is not None}
