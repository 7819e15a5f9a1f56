"""One small installation for the security tests: an account per role, runs, a review, a cohort
with an invitation and an assignment, a reset link — everything a route can be asked about.

`build_world(..., text=...)` writes every free text a person can type (names, replies, notes,
comments, cohort names, invitation e-mails) from `text`, so the XSS tests plant their payloads
through the same write paths as the forms.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import Session
from werkzeug.security import generate_password_hash

from sandbox import accounts, cohorts, library, passwords, reviews, runs
from sandbox.models import User, UserRole, utcnow
from tests.conftest import SHIPPED

PASSWORD = "correct horse battery"
ROLES = ("anonymous", "trainee", "other trainee", "trainer", "hr", "admin")
EMAILS = {
    "trainee": "tess@example.com",
    "other trainee": "otto@example.com",
    "trainer": "dana@example.com",
    "hr": "harper@example.com",
    "admin": "ada@example.com",
}
SCENARIO = "sunnyfoods-recall"


@dataclass
class World:
    users: dict[str, int]  # role -> user id (and "bystander": an account the admin may change)
    finished_run: int
    live_run: int
    cohort: int
    invitation: int
    assignment: int
    join_token: str
    reset_token: str
    extra_cohorts: list[int] = field(default_factory=list)


def _plain(index: int) -> str:
    return f"Plain text {index}"


def build_world(session: Session, scenarios_dir: str, secret_key: str, *,
                text: Callable[[int], str] = _plain, texts: int = 1) -> World:
    """The installation; `texts` free texts of each kind are written with text(0..texts-1)."""
    names = {"trainee": text(0), "other trainee": "Otto Other", "trainer": "Dana Coach",
             "hr": "Harper HR", "admin": "Ada Admin"}
    users = {}
    for role, email in EMAILS.items():
        users[role] = accounts.create_user(
            session=session, email=email, name=names[role], password=PASSWORD,
            roles=["trainee" if role == "other trainee" else role])
    session.commit()
    users["bystander"] = _people(session, [text(i) for i in range(texts)])[0]
    tess, dana = session.get(User, users["trainee"].id), users["trainer"]

    entry = library.find(scenarios_dir, SCENARIO)
    started = utcnow() - timedelta(minutes=10)
    finished = runs.start_run(session=session, user=tess, entry=entry, mode="practice",
                              speed=10, now=started)
    for i in range(texts):
        runs.record_action(session=session, run=finished, key=f"reply-{i}", action="reply",
                           event="first_post", text=text(i),
                           now=started + timedelta(seconds=4 + 4 * i))
        runs.record_action(session=session, run=finished, key=f"note-{i}", action="escalate",
                           event="first_post", text=text(i), to="quality_team",
                           now=started + timedelta(seconds=6 + 4 * i))
    runs.finish(session=session, run=finished, now=started + timedelta(seconds=8 + 4 * texts))
    for i in range(texts):
        reviews.record_review(session=session, run=finished, reviewer=dana, key=f"review-{i}",
                              decision="override", overall=50 + i % 2, comment=text(i))
    live = runs.start_run(session=session, user=tess, entry=entry, mode="practice", speed=10,
                          now=utcnow() - timedelta(seconds=60))

    cohort_ids = []
    for i in range(texts):
        cohort = cohorts.create_cohort(session, name=f"{text(i)} #{i}", description=text(i),
                                       owner=dana)
        cohorts.add_people(session, cohort, "tess@example.com")
        cohort_ids.append(cohort.id)
    cohort = session.get(cohorts.Cohort, cohort_ids[0])
    [(_, join_token)] = cohorts.add_people(session, cohort, "new@example.com").invited
    for i in range(texts):  # e-mails of invitations are shown on the cohort page
        cohorts.add_people(session, cohort, as_email(text(i), i))
    assignment = cohorts.assign(session, cohort, scenario_id=SCENARIO, mode="practice")
    invitation = next(i for i in cohort.invitations if i.email == "new@example.com")
    bystander = session.get(User, users["bystander"])
    return World(
        users={role: (u if isinstance(u, int) else u.id) for role, u in users.items()},
        finished_run=finished.id, live_run=live.id, cohort=cohort.id,
        invitation=invitation.id, assignment=assignment.id, join_token=join_token,
        reset_token=passwords.reset_token(bystander, secret_key), extra_cohorts=cohort_ids[1:])


def _people(session: Session, names: list[str]) -> list[int]:
    """Trainees with these names: the rows accounts.create_user writes, with one password hash
    shared (hashing is slow on purpose)."""
    shared = generate_password_hash(PASSWORD)
    made = []
    for i, name in enumerate(names):
        user = User(email=f"person{i}@example.com", name=name[:120], password_hash=shared)
        user.roles.append(UserRole(role="trainee"))
        session.add(user)
        made.append(user)
    session.commit()
    return [user.id for user in made]


def as_email(text: str, index: int) -> str:
    """The text as the local part of an address the cohort form accepts (no spaces, one @)."""
    local = "".join(text.split()).replace("@", "") or "x"
    return f"{local}{index}@evil.example"


SHIPPED_TITLE = "title: Recalled granola - a worried parent goes public"


def scenario_with(text: str, slug: str) -> str:
    """The shipped recall scenario as `slug`, with `text` as its title, a persona's name and its
    first post (a scenario file is text a trainer types too)."""
    shipped = (SHIPPED / f"{SCENARIO}.yaml").read_text()
    indented = "\n".join("      " + line for line in text.splitlines())
    return (shipped.replace("id: sunnyfoods-recall", f"id: {slug}")
            .replace(SHIPPED_TITLE, f"title: {json.dumps(text)}")
            .replace("    name: Maria Kowalski", f"    name: {json.dumps(text)}")
            .replace("      My 4yo was sick all night after @SunnyFoods honey granola.\n",
                     indented + "\n"))
