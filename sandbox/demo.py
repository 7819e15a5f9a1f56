"""Demo accounts: one per role plus a few generated trainees, created once and never duplicated."""

import re
from contextlib import suppress
from dataclasses import dataclass

from faker import Faker
from sqlmodel import Session, select

from sandbox import accounts
from sandbox.core.vocabulary import PRIVATE_ANSWERS


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    name: str
    roles: tuple[str, ...]


DEMO_LOGINS = (
    DemoLogin("admin@example.com", "practise-admin", "Alex Admin", ("admin",)),
    DemoLogin("trainer@example.com", "practise-trainer", "Taylor Trainer", ("trainer",)),
    DemoLogin("hr@example.com", "practise-hr", "Harper HR", ("hr",)),
    DemoLogin("trainee@example.com", "practise-trainee", "Casey Trainee", ("trainee",)),
)
GENERATED_TRAINEES = 6
GENERATED_PASSWORD = "practise-trainee"


def generated_trainees(seed: int = 2026) -> list[DemoLogin]:
    """The same Faker-made trainees every time (seeded), with example.com addresses."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    people = []
    for _ in range(GENERATED_TRAINEES):
        first, last = fake.first_name(), fake.last_name()
        email = f"{first}.{last}@example.com".lower().replace("'", "").replace(" ", "")
        people.append(DemoLogin(email, GENERATED_PASSWORD, f"{first} {last}", ("trainee",)))
    return people


def load_demo_users(session: Session) -> list[DemoLogin]:
    """Create the demo accounts that do not exist yet; returns the ones created."""
    created = []
    for login in (*DEMO_LOGINS, *generated_trainees()):
        if accounts.find_user(session, login.email):
            continue
        accounts.create_user(
            session=session, email=login.email, name=login.name, password=login.password,
            roles=login.roles,
        )
        created.append(login)
    session.commit()
    return created


# --- history ------------------------------------------------------------------------------------

# what a hurried trainee writes, in the scenario's language
WEAK_REPLY = {"en": "Thanks for your message, we will look into it.",
              "fr": "Merci pour votre message, nous allons regarder."}
DM_INVITE = {"en": "Hi, could you send us a private message with the details? We'll sort it out "
                   "there.",
             "fr": "Bonjour, pouvez-vous nous écrire en message privé avec les détails ? Nous "
                   "allons régler cela."}


DEMO_RUNS = 5  # per trainee: two practice runs, then three exams on different scenarios
PRACTICE_RUNS = 2
EXAM_SCENARIOS = 4
ABANDONED_BY, VOIDED_FOR, SHORT_OF_EVIDENCE = 2, 3, 6  # trainees (by number) the board explains
VOID_REASON = ("Played by a colleague while showing them the tool during onboarding: not this "
               "trainee's work.")


def load_demo_history(session: Session, scenarios_dir: str, *, seed: int = 2026) -> int:
    """Finished runs for the demo trainees who have none yet, played through the same write path
    as the browser (start, scored actions, finish); returns how many were added.

    Each trainee gets a seeded skill: stronger trainees answer with the model answer and take the
    expected actions, weaker ones answer vaguely or stay silent, so the profiles differ. Each
    plays two practice runs, then exams on different scenarios, so that the talent board has
    evidence to show; one trainee abandons an exam early (incomplete), one has an exam voided by
    the trainer, and one has played too few exams to be compared yet.
    """
    import random
    from datetime import timedelta

    from sandbox import evidence, library, runs
    from sandbox.models import utcnow

    entries = [e for e in library.entries(scenarios_dir)
               if e.playable and e.scenario.difficulty != "advanced"]
    if not entries:
        return 0
    rng = random.Random(seed)
    trainees = [DEMO_LOGINS[3], *generated_trainees(seed)]
    reviewer = accounts.find_user(session, DEMO_LOGINS[1].email)
    # the company's exam scenarios: a few, so that each is taken by several trainees and the
    # talent board can tell a scenario's difficulty from its players' ability
    exam_pool = rng.sample(entries, min(len(entries), EXAM_SCENARIOS))
    added = 0
    for number, login in enumerate(trainees):
        user = accounts.find_user(session, login.email)
        if user is None or runs.runs_of(session, user):
            continue
        # Casey (the printed login) is a middling trainee who improves; the others spread out.
        skill = 0.6 if number == 0 else 0.3 + 0.65 * (number - 1) / max(1, len(trainees) - 2)
        # each trainee skips a different exam of the pool, so that every exam scenario is
        # taken by about as many trainees (the item analysis needs several runs per event);
        # the draw is kept so that the rest of the seeded history stays the same
        rng.sample(exam_pool, min(len(exam_pool), DEMO_RUNS - PRACTICE_RUNS))
        exams = [exam_pool[(number - 1 - step) % len(exam_pool)]
                 for step in range(min(len(exam_pool), DEMO_RUNS - PRACTICE_RUNS))]
        plan = [(rng.choice(entries), "practice") for _ in range(PRACTICE_RUNS)]
        plan += [(exams[index % len(exams)], "exam") for index in range(DEMO_RUNS - PRACTICE_RUNS)]
        if number == SHORT_OF_EVIDENCE:
            plan = plan[:-1]
        if number in (ABANDONED_BY, VOIDED_FOR):
            plan.append((exams[0], "exam"))
        for index, (entry, mode) in enumerate(plan):
            started = utcnow() - timedelta(days=35 - 6 * index, hours=rng.randrange(8))
            run = runs.start_run(session=session, user=user, entry=entry, mode=mode,
                                 speed=10, now=started)
            abandoned = number == ABANDONED_BY and index == len(plan) - 1
            length = entry.scenario.duration / run.speed
            if abandoned:  # gave up after a fifth of the scenario, without answering
                length /= 5
            else:
                play_run(session, run, rng, skill=min(0.95, skill + 0.06 * index))
            runs.finish(session=session, run=run, now=started + timedelta(seconds=length))
            if reviewer is not None and index in (0, PRACTICE_RUNS, PRACTICE_RUNS + 1):
                _review(session, run, reviewer, change=OVERRIDES.get((number, index)))
            if reviewer is not None and number == VOIDED_FOR and index == len(plan) - 1:
                evidence.record_void(session=session, run=run, trainer=reviewer, key="demo",
                                     decision="void", reason=VOID_REASON)
            added += 1
    return added


# (trainee number, run index) -> points the demo trainer moves the score by, and why
OVERRIDES = {(0, PRACTICE_RUNS + 1): (8, "Raised a little: the reply was kind and on time; next "
                                         "time, say what happens next."),
             (5, PRACTICE_RUNS): (-15, "Too generous: the reply sounds right but promises a "
                                       "refund date the facts do not give.")}


def _review(session: Session, run, reviewer, *, change: tuple[int, str] | None) -> None:
    """The demo trainer has looked at each trainee's older runs: the queue shows the rest. Where
    they changed the score, they also dispute the criterion they disagree with most, so the
    Calibration page has something to show."""
    from sandbox import calibration, reviews

    if change is None:
        reviews.record_review(session=session, run=run, reviewer=reviewer, key="demo",
                              decision="confirm", comment="Fair grade: matches what I saw.")
        return
    delta, comment = change
    standing = reviews.standing(run)
    moved = {name: max(0, min(100, value + delta)) for name, value in standing.dimensions.items()}
    reviews.record_review(
        session=session, run=run, reviewer=reviewer, key="demo", decision="override",
        overall=max(0, min(100, standing.overall + delta)), dimensions=moved, comment=comment)
    answered = [e for e in run.result.get("events", []) if not e.get("missed")]
    if not answered:
        return
    event = answered[0]
    criteria = event["result"]["criteria"]
    if delta < 0:  # too generous on what the reply asserts
        scored = max(criteria, key=lambda c: (c["dimension"] == "coherence", c["score"]))
    else:  # too harsh: the lowest criterion, and a finding of it the trainer thinks wrong
        scored = min(criteria, key=lambda c: c["score"])
    calibration.record_dispute(
        session=session, run=run, trainer=reviewer, key="demo-score", event=event["event"],
        criterion=scored["id"], what="too_high" if delta < 0 else "too_low",
        label="weak" if delta < 0 else "good", comment=comment)
    if delta > 0 and scored.get("findings"):
        calibration.record_dispute(
            session=session, run=run, trainer=reviewer, key="demo-finding",
            event=event["event"], criterion=scored["id"], what="wrong:0",
            comment="This finding misreads the reply.")


def _first_sentence(text: str | None) -> str | None:
    """A weaker trainee's reply: the opening of a good one, without the facts or next step."""
    if not text:
        return None
    match = re.match(r"\s*(.+?[.!?])(?:\s|$)", text, re.S)
    return match.group(1) if match else None


def play_run(session: Session, run, rng, *, skill: float) -> None:
    """Answer the run's fixed-time expected events as a trainee of this `skill` would."""
    from datetime import timedelta

    from sandbox import runs
    from sandbox.core.replay import compile_scenario

    game = runs.played(session, run)
    compiled = compile_scenario(game.scenario)
    language = "fr" if game.scenario.language == "fr" else "en"
    events = sorted((e for e in compiled.events.values()
                     if e.expect is not None and e.static_at is not None and e.static_at >= 0),
                    key=lambda e: e.static_at)
    for event in events:
        roll = rng.random()
        if roll > skill + 0.25:
            continue  # stays silent: the event is missed
        at = event.static_at + rng.randrange(20, 240)
        wanted = list(event.expect.actions or ["reply"]) if roll <= skill else ["reply"]
        for step, action in enumerate(wanted):
            text = None
            if action == "reply":
                text = event.expect.model_answer if roll <= skill else \
                    _first_sentence(event.expect.model_answer) or WEAK_REPLY[language]
            elif action in PRIVATE_ANSWERS:
                text = DM_INVITE[language]
            elif action == "escalate":
                text = f"Please look at this: {event.template['text'][:120]}"
            elif action not in ("hide", "like"):
                continue
            if action == "reply" and not text:
                continue
            if at + 15 * step >= game.scenario.duration:
                break  # the clock has run out: an answer now would only end the run
            when = run.started_at + timedelta(seconds=(at + 15 * step) / run.speed)
            # An action the scenario does not allow at that moment is skipped, as a trainee would.
            with suppress(runs.RunError):
                runs.record_action(session=session, run=run, key=f"demo-{event.id}-{step}",
                                   action=action, event=event.id, text=text,
                                   to=event.expect.escalate_to, now=when)


DEMO_COHORT = "Customer care - demo intake"


def load_demo_cohort(session: Session, scenarios_dir: str) -> bool:
    """A cohort owned by the demo trainer, with the demo trainees and two assigned scenarios (one
    of them an exam due next week), unless it exists; returns whether it was added."""
    from datetime import date, timedelta

    from sandbox import cohorts, library
    from sandbox.models import Cohort

    if session.exec(select(Cohort).where(Cohort.name == DEMO_COHORT)).first():
        return False
    playable = {e.slug for e in library.entries(scenarios_dir) if e.playable}
    cohort = cohorts.create_cohort(session, name=DEMO_COHORT,
                                   description="Everyone who answers customers, spring session",
                                   owner=accounts.find_user(session, DEMO_LOGINS[1].email))
    emails = [DEMO_LOGINS[3].email, *(login.email for login in generated_trainees())]
    cohorts.add_people(session, cohort, "\n".join(emails))
    for slug, mode, due in (("sunnyfoods-recall", "practice", None),
                            ("valemont-cancelled-train", "exam",
                             date.today() + timedelta(days=7))):
        if slug in playable:
            cohorts.assign(session, cohort, scenario_id=slug, mode=mode, due_on=due)
    return True
