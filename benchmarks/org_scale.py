"""HR and trainer pages at company size: a generated company, then the pages timed.

Fills a database with N trainees (10,000 by default), 200 cohorts (one of 500 members) and about
20 finished runs per trainee, with realistic score spreads: each person has an ability, a way of
learning and their own strengths on the A.C.E. dimensions, each scenario a difficulty, each run
some noise; about 45 % of runs are exams, some exams are abandoned early, some runs are reviewed
(a few overridden) and a few voided. Each run's result and actions are copies of real runs played
through the write path once per scenario and skill (so a person's page, a debrief and the review
queue read what they would read), with the scores replaced. Rows go in with bulk inserts.

Then, with a Flask test client signed in as HR, a trainer and trainees, each page is requested
once untimed ("1st": the first request of the process, which reads what later ones find ready)
and then --repeat times: p50 / p95 of the wall time and p50 of the process's CPU time (the
figure a loaded machine disturbs least). The pages: the talent board sorted and paginated, just
after a trainer's review confirmed a score (one before each request), just after one changed a
score (the ability model is fitted again), filtered by cohort and language, by period and
scenario; a person's page; the CSV export (time to first byte and to the end); the review
queue; the grid of the 500-member cohort; a trainee's dashboard.

    .venv/bin/python benchmarks/org_scale.py                      # 10,000 trainees, SQLite
    .venv/bin/python benchmarks/org_scale.py --trainees 1000 10000   # and the growth
    .venv/bin/python benchmarks/org_scale.py --database postgresql
    .venv/bin/python benchmarks/org_scale.py --smoke              # 200 trainees: the tests'

Measures the checkout it is in (like feed_load), so a copy of this file in an older checkout
measures that one. --keep DIR keeps each generated database (and reuses it when it is there).
"""

import argparse
import contextlib
import gc
import json
import os
import random
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load_servers import throwaway_postgres  # noqa: E402

PASSWORD = "org-scale-password"
HASH_METHOD = "pbkdf2:sha256:1"  # signing in is not what is measured
EXAM_POOL = 8  # the company's exam scenarios
EXAM_SHARE = 0.45
PROGRAMME_DAYS = 120  # runs spread over four months, up to yesterday
BIG_COHORT = 500
SKILLS = (0.15, 0.45, 0.75, 0.95)  # the template runs played per scenario
DIMENSIONS = ("agility", "coherence", "efficiency")


@dataclass(frozen=True)
class Template:
    """A real finished run of one scenario, whose result and actions are copied."""

    scenario_id: str
    digest: str
    guidelines_digest: str
    thresholds: tuple[float, float]
    result: str  # JSON with "@@OVERALL@@", "@@VERDICT@@", "@@DIMENSIONS@@" to fill in
    actions: tuple[dict, ...]
    finished_sim_s: int
    duration: int
    overall: int
    dimensions: dict


# --------------------------------------------------------------------------- templates


def play_templates(folder: Path, slugs: list[str], exam_slugs: list[str], skills=SKILLS
                   ) -> tuple[dict[str, list[Template]], dict[str, Template], list[dict]]:
    """Play each scenario once per skill (and abandon each exam early once) through the write
    path, in a scratch database; returns the templates and the content versions they played."""
    from sqlmodel import Session, select

    from sandbox import accounts, db, library, runs
    from sandbox.core.scoring.rules import thresholds
    from sandbox.demo import play_run
    from sandbox.models import ContentVersion

    url = f"sqlite:///{folder / 'templates.db'}"
    db.upgrade(url)
    engine = db.make_engine(url, sqlite_synchronous="OFF")
    rng = random.Random(7)
    entries = {e.slug: e for e in library.entries(ROOT / "scenarios") if e.playable}
    played: dict[str, list[Template]] = {}
    abandoned: dict[str, Template] = {}
    with Session(engine, expire_on_commit=False) as session:
        user = accounts.create_user(session=session, email="template@example.com",
                                    name="Template Player", password=PASSWORD,
                                    roles=["trainee"])
        session.commit()
        start = datetime.now(UTC) - timedelta(days=1)
        for slug in slugs:
            entry = entries[slug]
            plans = [(skill, False) for skill in skills]
            if slug in exam_slugs:
                plans.append((0.0, True))
            for skill, abandon in plans:
                run = runs.start_run(session=session, user=user, entry=entry, mode="exam",
                                     speed=10, now=start)
                length = entry.scenario.duration / run.speed / (5 if abandon else 1)
                if not abandon:
                    play_run(session, run, rng, skill=skill)
                runs.finish(session=session, run=run, now=start + timedelta(seconds=length))
                game = runs.played(session, run)
                template = _template(run, thresholds(game.guidelines), game.scenario.duration)
                if abandon:
                    abandoned[slug] = template
                else:
                    played.setdefault(slug, []).append(template)
        versions = [{"digest": v.digest, "kind": v.kind, "slug": v.slug, "text": v.text,
                     "created_at": v.created_at} for v in session.exec(select(ContentVersion))]
    engine.dispose()
    for found in played.values():
        found.sort(key=lambda t: t.overall)
    return played, abandoned, versions


def _template(run, limits: tuple[float, float], duration: int) -> Template:
    result = dict(run.result)
    result.update(overall="@@OVERALL@@", verdict="@@VERDICT@@", dimensions="@@DIMENSIONS@@")
    offset = run.started_at
    actions = tuple({"seq": a.seq, "action": a.action, "event_id": a.event_id, "text": a.text,
                     "to": a.to, "sim_at": a.sim_at, "after": a.created_at - offset,
                     "overall": a.overall, "score": json.dumps(a.score) if a.score else None,
                     "scorer_version": a.scorer_version} for a in run.actions)
    return Template(run.scenario_id, run.scenario_digest, run.guidelines_digest, limits,
                    json.dumps(result), actions, run.finished_sim_s, duration, run.overall,
                    dict(run.result.get("dimensions") or {}))


# --------------------------------------------------------------------------- the company


def _clamp(value: float) -> int:
    return max(0, min(100, round(value)))


def _verdict(overall: int, limits: tuple[float, float]) -> str:
    passing, coach = limits
    return "pass" if overall >= passing else "coach" if overall >= coach else "fail"


class Company:
    """Rows for every table, generated from a seed; ids are given here (the tables are empty)."""

    def __init__(self, trainees: int, runs_per_trainee: float, cohorts: int, seed: int,
                 templates: dict[str, list[Template]], abandoned: dict[str, Template],
                 exam_slugs: list[str]):
        from faker import Faker
        from werkzeug.security import generate_password_hash

        self.rng = rng = random.Random(seed)
        self.templates, self.abandoned, self.exam_slugs = templates, abandoned, exam_slugs
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.rows: dict[str, list[dict]] = {name: [] for name in (
            "user", "user_role", "cohort", "cohort_member", "cohort_owner", "assignment", "run",
            "run_action", "run_review", "run_void")}
        self.hash = generate_password_hash(PASSWORD, method=HASH_METHOD)
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        self.staff = {}
        for role in ("hr", "trainer", "admin"):
            self.staff[role] = self._user(f"{role}@org.example.com", f"Staff {role.upper()}",
                                          [role])
        self.trainers = [self._user(f"trainer{n}@org.example.com", fake.name(), ["trainer"])
                         for n in range(20)]
        self.trainees = [self._user(f"t{n}@org.example.com", fake.name(), ["trainee"])
                         for n in range(trainees)]
        self._cohorts(cohorts)
        self.scenario_ease = {slug: rng.gauss(0, 7) for slug in templates}
        self.runs_per_trainee = runs_per_trainee
        self.flushed = {name: 0 for name in HISTORY}  # rows of each already handed out

    def histories(self, chunk: int = 250):
        """The runs (with their actions, reviews and voids) of `chunk` trainees at a time,
        each time as new lists of rows: a company of 10,000 (about 14 GB of results) is never
        held in memory at once."""
        rng = self.rng
        for start in range(0, len(self.trainees), chunk):
            for user_id in self.trainees[start:start + chunk]:
                self._history(user_id, max(1, round(rng.gauss(self.runs_per_trainee,
                                                              self.runs_per_trainee / 3))))
            found = {name: self.rows[name] for name in HISTORY}
            for name in HISTORY:
                self.flushed[name] += len(found[name])
                self.rows[name] = []
            yield found

    def _next(self, table: str) -> int:
        """The id of the next row of a history table."""
        return self.flushed[table] + len(self.rows[table]) + 1

    def _user(self, email: str, name: str, roles: list[str]) -> int:
        user_id = len(self.rows["user"]) + 1
        self.rows["user"].append({"id": user_id, "email": email, "name": name,
                                  "password_hash": self.hash, "is_active": True,
                                  "created_at": self.now - timedelta(days=200),
                                  "session_version": 1})
        self.rows["user_role"] += [{"user_id": user_id, "role": role} for role in roles]
        return user_id

    def _cohorts(self, count: int) -> None:
        rng, rows = self.rng, self.rows
        people = list(self.trainees)
        rng.shuffle(people)
        slugs = sorted(self.templates)
        groups = [people[:BIG_COHORT]]
        rest = count - 1
        groups += [people[n::rest] for n in range(rest)] if rest else []
        for number, members in enumerate(groups, start=1):
            rows["cohort"].append({"id": number, "name": "Company-wide pilot" if number == 1
                                   else f"Team {number:03d}", "description": "",
                                   "created_at": self.now - timedelta(days=150)})
            rows["cohort_owner"].append({"cohort_id": number, "user_id": rng.choice(
                self.trainers), "added_at": self.now - timedelta(days=150)})
            rows["cohort_member"] += [{"cohort_id": number, "user_id": user_id,
                                       "added_at": self.now - timedelta(days=140)}
                                      for user_id in members]
            for slug in rng.sample(slugs, min(len(slugs), rng.randint(4, 6))):
                mode = "exam" if slug in self.exam_slugs and rng.random() < 0.6 else "practice"
                due = (self.now + timedelta(days=rng.randint(-30, 30))).date() \
                    if rng.random() < 0.7 else None
                rows["assignment"].append({"id": len(rows["assignment"]) + 1,
                                           "cohort_id": number, "scenario_id": slug,
                                           "mode": mode, "due_on": due,
                                           "created_at": self.now - timedelta(days=140)})

    def _history(self, user_id: int, count: int) -> None:
        rng = self.rng
        ability, learning = rng.gauss(60, 12), rng.gauss(0.4, 0.6)
        leaning = {d: rng.gauss(0, 7) for d in DIMENSIONS}
        exams = rng.sample(self.exam_slugs, rng.randint(min(2, len(self.exam_slugs)),
                                                        len(self.exam_slugs)))
        days = sorted(rng.uniform(1, PROGRAMME_DAYS) for _ in range(count))
        for index, day in enumerate(days):
            exam = rng.random() < EXAM_SHARE
            slug = rng.choice(exams if exam else sorted(self.templates))
            level = ability + learning * index + self.scenario_ease[slug] + (0 if exam else 4)
            dimensions = {d: _clamp(level + leaning[d] + rng.gauss(0, 9)) for d in DIMENSIONS}
            overall = _clamp(sum(dimensions.values()) / 3 - rng.choice((0, 0, 0, 2, 5)))
            if exam and rng.random() < 0.03:
                template = self.abandoned[slug]
                overall, dimensions = template.overall, template.dimensions
            else:
                template = min(self.templates[slug], key=lambda t: abs(t.overall - overall))
            started = self.now - timedelta(days=PROGRAMME_DAYS + 1 - day)
            self._run(user_id, template, "exam" if exam else "practice", started, overall,
                      dimensions)

    def _run(self, user_id: int, template: Template, mode: str, started: datetime,
             overall: int, dimensions: dict) -> None:
        rng, rows = self.rng, self.rows
        run_id = self._next("run")
        verdict = _verdict(overall, template.thresholds)
        finished = started + timedelta(seconds=template.finished_sim_s / 10)
        result = (template.result.replace('"@@OVERALL@@"', str(overall), 1)
                  .replace('"@@VERDICT@@"', f'"{verdict}"', 1)
                  .replace('"@@DIMENSIONS@@"', json.dumps(dimensions), 1))
        rows["run"].append({"id": run_id, "user_id": user_id, "scenario_id": template.scenario_id,
                            "scenario_digest": template.digest,
                            "guidelines_digest": template.guidelines_digest, "mode": mode,
                            "speed": 10.0, "started_at": started, "paused_at": None,
                            "paused_seconds": 0.0, "finished_at": finished,
                            "finished_sim_s": template.finished_sim_s, "overall": overall,
                            "result": result, "scorer_version": "bench"})
        for action in template.actions:
            rows["run_action"].append({
                "id": self._next("run_action"), "run_id": run_id,
                "key": f"bench-{run_id}-{action['seq']}", "seq": action["seq"],
                "action": action["action"], "event_id": action["event_id"],
                "text": action["text"], "to": action["to"], "sim_at": action["sim_at"],
                "created_at": started + action["after"], "overall": action["overall"],
                "score": action["score"], "scorer_version": action["scorer_version"]})
        if rng.random() < (0.2 if mode == "exam" else 0.05):
            for _ in range(1 if rng.random() < 0.97 else 2):
                self._review(run_id, template, finished, overall, dimensions)
        if mode == "exam" and rng.random() < 0.006:
            self._void(run_id, finished, "voided")
            if rng.random() < 0.2:
                self._void(run_id, finished + timedelta(days=1), "restored")

    def _review(self, run_id: int, template: Template, finished: datetime, overall: int,
                dimensions: dict) -> None:
        rng, reviews = self.rng, self.rows["run_review"]
        trainer = rng.choice(self.trainers)
        number = self._next("run_review")
        override = rng.random() < 0.2
        delta = round(rng.gauss(0, 10)) or 5 if override else 0
        reviews.append({
            "id": number, "run_id": run_id, "reviewer_id": trainer,
            "reviewer_name": f"Trainer {trainer}", "key": f"bench-{number - 1}",
            "decision": "overridden" if override else "confirmed", "scorer_overall": overall,
            "overall": _clamp(overall + delta),
            "verdict": _verdict(_clamp(overall + delta), template.thresholds),
            "dimensions": json.dumps({d: _clamp(v + delta) for d, v in dimensions.items()}),
            "comment": "Adjusted after reading the replies." if override else "",
            "created_at": finished + timedelta(hours=rng.uniform(1, 72))})

    def _void(self, run_id: int, when: datetime, decision: str) -> None:
        number = self._next("run_void")
        self.rows["run_void"].append({"id": number, "run_id": run_id,
                      "trainer_id": self.trainers[0], "trainer_name": "Trainer",
                      "key": f"bench-{number - 1}", "decision": decision,
                      "reason": "Someone else was at the keyboard.",
                      "created_at": when + timedelta(hours=2)})


HISTORY = ("run", "run_action", "run_review", "run_void")
TABLE_ORDER = ("user", "user_role", "cohort", "cohort_member", "cohort_owner", "assignment",
               "content_version", "run", "run_action", "run_review", "run_void")


def insert_all(url: str, rows: dict[str, list[dict]], batch: int = 5000) -> None:
    """Bulk inserts in one transaction per table; JSON columns take the text as it is."""
    import sqlalchemy as sa
    from sqlmodel import SQLModel

    import sandbox.models  # noqa: F401  (the tables)
    from sandbox import db

    engine = db.make_engine(url, sqlite_synchronous="OFF")
    postgres = engine.dialect.name == "postgresql"
    for name in TABLE_ORDER:
        found = rows.get(name) or []
        if not found:
            continue
        model = SQLModel.metadata.tables[name]
        columns = [sa.Column(c.name, sa.Text() if isinstance(c.type, sa.JSON) else c.type)
                   for c in model.columns]
        table = sa.Table(name, sa.MetaData(), *columns)
        statement = table.insert()
        if postgres:  # psycopg sends text: PostgreSQL wants json for a json column
            statement = table.insert().values({c.name: sa.cast(sa.bindparam(c.name), sa.JSON)
                                               for c in model.columns
                                               if isinstance(c.type, sa.JSON)})
        with engine.begin() as connection:
            for start in range(0, len(found), batch):
                connection.execute(statement, found[start:start + batch])
            if postgres and "id" in model.columns:
                connection.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                    f"(SELECT max(id) FROM \"{name}\"))"))
    engine.dispose()


def build(url: str, trainees: int, *, runs_per_trainee: float = 20, cohorts: int = 200,
          seed: int = 2026, smoke: bool = False) -> dict:
    """Migrate the empty database at `url` and fill it; returns the ids the timing needs."""
    from sandbox import db, library

    began = time.perf_counter()
    db.upgrade(url)
    entries = [e for e in library.entries(ROOT / "scenarios") if e.playable]
    pick = random.Random(seed)
    slugs = sorted(e.slug for e in entries)
    if smoke:
        slugs = pick.sample(slugs, 4)
    exam_slugs = sorted(pick.sample(slugs, min(EXAM_POOL, len(slugs) - 1)))
    with tempfile.TemporaryDirectory(prefix="org-scale-templates-") as scratch:
        templates, abandoned, versions = play_templates(
            Path(scratch), slugs, exam_slugs, SKILLS[1::2] if smoke else SKILLS)
    played = time.perf_counter()
    company = Company(trainees, runs_per_trainee, cohorts, seed, templates, abandoned,
                      exam_slugs)
    company.rows["content_version"] = versions
    insert_all(url, company.rows)  # the people, cohorts and versions
    generating = 0.0
    moment = time.perf_counter()
    for chunk in company.histories():
        generating += time.perf_counter() - moment
        moment = time.perf_counter()
        insert_all(url, chunk)
        moment = time.perf_counter()
    inserted = time.perf_counter()
    summary = rebuild_summaries(url)
    done = time.perf_counter()
    rows, count = company.rows, company.flushed
    print(f"  generated {trainees:,} trainees, {len(rows['cohort'])} cohorts, "
          f"{count['run']:,} finished runs ({count['run_action']:,} actions, "
          f"{count['run_review']:,} reviews, {count['run_void']} void decisions) in "
          f"{done - began:.0f} s (templates {played - began:.0f} s, rows "
          f"{generating:.0f} s, inserts {inserted - played - generating:.0f} s"
          + (f", {summary} {done - inserted:.0f} s" if summary else "") + ")", flush=True)
    big = rows["cohort"][0]["id"]
    small = rows["cohort"][1]["id"] if len(rows["cohort"]) > 1 else big
    members = [m["user_id"] for m in rows["cohort_member"] if m["cohort_id"] == big]
    emails = {row["id"]: row["email"] for row in rows["user"]}
    return {"trainees": company.trainees, "big_cohort": big, "small_cohort": small,
            "big_members": members, "exam_slugs": exam_slugs, "now": company.now,
            "runs": count["run"], "emails": [emails[user_id] for user_id in members[:5]]}


def rebuild_summaries(url: str) -> str:
    """Bulk inserts bypass the write path: a checkout that keeps summaries of the runs rebuilds
    them, as `sandbox rescore --summaries` would (an older checkout has none)."""
    try:
        from sandbox import talent_store
    except ImportError:
        return ""
    from sqlmodel import Session

    from sandbox import db

    engine = db.make_engine(url, sqlite_synchronous="OFF")
    with Session(engine) as session:
        talent_store.rebuild(session)
    engine.dispose()
    return "run summaries"


# --------------------------------------------------------------------------- timing


def signed_in(app, email: str):
    import re

    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD,
                                             "csrf_token": token})
    assert response.status_code == 302, f"{email} could not sign in"
    return client


def timed(client, path: str) -> tuple[float, float, float, int]:
    """(seconds to the first byte of the body, seconds to the end, CPU seconds, status)."""
    began, cpu = time.perf_counter(), time.process_time()
    response = client.get(path, buffered=False)
    first = None
    for chunk in response.iter_encoded():
        if first is None and chunk:
            first = time.perf_counter() - began
    total = time.perf_counter() - began
    response.close()
    return (first if first is not None else total), total, time.process_time() - cpu, \
        response.status_code


def review_one(app, number: int, *, change: bool = False) -> None:
    """A trainer confirms the score of a run nobody reviewed (as the review form does), or
    changes it (`change`): the board that follows must see it."""
    from sqlmodel import Session, select

    from sandbox import reviews
    from sandbox.models import Run, RunReview, User

    with app.app_context(), Session(app.extensions["sandbox.engine"]) as session:
        trainer = session.exec(select(User).where(User.email == "trainer@org.example.com")).one()
        reviewed = select(RunReview.run_id)
        run = session.exec(select(Run).where(Run.mode == "exam", Run.id.not_in(reviewed))
                           .order_by(Run.id.desc() if change else Run.id)
                           .offset(number * 7).limit(1)).one()
        changed = {"decision": "override", "overall": (int(run.overall or 0) + 11) % 101,
                   "comment": "Read again."} if change else {"decision": "confirm"}
        reviews.record_review(session=session, run=run, reviewer=trainer,
                              key=f"bench-review-{uuid.uuid4().hex}", **changed)


def change_one(app, number: int) -> None:
    """A trainer changes the score of a run nobody reviewed: every estimate moves a little (the
    ability model is fitted again)."""
    review_one(app, number, change=True)


def pages(company: dict) -> list[tuple]:
    """(label, who asks, path or a function of the repeat number giving the path, and what
    happens before each request, untimed)."""
    rng = random.Random(11)
    now = company["now"]
    start = (now - timedelta(days=60)).date().isoformat()
    end = (now - timedelta(days=30)).date().isoformat()
    people = rng.sample(company["trainees"], min(50, len(company["trainees"])))
    scenario = company["exam_slugs"][0]
    return [
        ("talent board, sorted by agility, page 3", "hr", "/talent/?sort=agility&page=3"),
        ("talent board, just after a review", "hr", "/talent/", review_one),
        ("talent board, just after a score changed", "hr", "/talent/", change_one),
        ("talent board, cohort + language", "hr",
         f"/talent/?cohort={company['small_cohort']}&language=en&sort=coherence"),
        ("talent board, period + scenario", "hr",
         f"/talent/?start={start}&end={end}&scenario={scenario}&page=2"),
        ("person's page", "hr", lambda n: f"/talent/people/{people[n % len(people)]}"),
        ("CSV export", "hr", "/talent/export.csv"),
        ("review queue", "trainer", "/review/"),
        (f"cohort grid ({len(company['big_members'])} members)", "trainer",
         f"/cohorts/{company['big_cohort']}"),
        ("trainee dashboard", "trainee", "/dashboard"),
    ]


def quantile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


class Late(Exception):
    """A request still running after --timeout seconds (raised inside it by an alarm)."""


def _late(*_) -> None:
    raise Late


def measure(url: str, company: dict, repeat: int, budget: float, timeout: float = 0,
            only: list[str] | None = None, warm: bool = False) -> dict[str, dict]:
    """Each page `repeat` times (fewer when one page has taken `budget` seconds); a request
    taking more than `timeout` seconds (0: no limit) is stopped and counted as late. `warm`:
    first warm up as `sandbox serve` does (then "1st" is a worker's first request)."""
    from sandbox import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "org-scale",
                      "PASSWORD_HASH_METHOD": HASH_METHOD,
                      "INSTANCE_PATH": tempfile.mkdtemp(prefix="org-scale-instance-")})
    if warm:  # what `sandbox serve` does in its parent before the workers fork
        from sandbox.cli.serve import _warm_up

        began = time.perf_counter()
        _warm_up(app)
        gc.freeze()  # as serve does: what the parent built stays out of the collections
        print(f"  warm-up before the workers fork (sandbox serve): "
              f"{time.perf_counter() - began:.1f} s", flush=True)
    clients = {"hr": [signed_in(app, "hr@org.example.com")],
               "trainer": [signed_in(app, "trainer@org.example.com")],
               "trainee": [signed_in(app, email) for email in company["emails"]]}
    found = {}
    signal.signal(signal.SIGALRM, _late)
    if timeout:  # a stopped request is counted, not logged with its traceback
        app.logger.disabled = True
    for label, who, path, *before in pages(company):
        if only and not any(word in label for word in only):
            continue
        first, total, cpu, statuses, cold = [], [], [], set(), float("nan")
        began = time.monotonic()
        for number in range(-1, repeat):  # the first request (number -1) warms up, untimed
            client = clients[who][number % len(clients[who])]
            target = path(number) if callable(path) else path
            if before:
                before[0](app, number + 1)
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                ttfb, seconds, used, status = timed(client, target)
            except MemoryError:
                statuses.add("out of memory")
                break
            except Late:
                statuses.add(f"stopped after {timeout:g} s")
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if timeout and seconds >= timeout:  # the app's error page caught the alarm
                statuses.add(f"stopped after {timeout:g} s")
                break
            statuses.add(status)
            if number < 0:
                cold = seconds
            else:
                first.append(ttfb)
                total.append(seconds)
                cpu.append(used)
            if time.monotonic() - began > budget:
                break
        found[label] = {"first": first, "total": total, "cpu": cpu, "cold": cold,
                        "statuses": statuses}
        streamed = label == "CSV export"
        print(f"  {label:<42} p50 {quantile(total, 50):8.1f} ms  p95 {quantile(total, 95):8.1f}"
              f" ms  cpu p50 {quantile(cpu, 50):7.1f} ms  1st {cold * 1000:8.1f} ms"
              + (f"  (first byte p50 {quantile(first, 50):.1f}, "
                 f"p95 {quantile(first, 95):.1f} ms)" if streamed else "")
              + f"  n={len(total)}" + ("" if statuses == {200} else f"  status {statuses}"),
              flush=True)
    app.extensions["sandbox.engine"].dispose()
    return found


# --------------------------------------------------------------------------- databases


def new_database(kind: str, server: str | None, folder: Path, name: str) -> tuple[str, bool]:
    """(URL, whether it already holds a generated company)."""
    if kind == "sqlite":
        path = folder / f"{name}.db"
        return f"sqlite:///{path}", path.exists()
    import sqlalchemy as sa

    admin = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{server}/{name}", False


def company_of(url: str, trainees: int) -> dict:
    """What the timing needs, read back from a database generated earlier (--keep)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        ids = [row[0] for row in connection.execute(sa.text(
            "SELECT u.id FROM \"user\" u JOIN user_role r ON r.user_id = u.id "
            "WHERE r.role = 'trainee' ORDER BY u.id"))]
        big = connection.execute(sa.text("SELECT min(id) FROM cohort")).scalar()
        members = [row[0] for row in connection.execute(sa.text(
            "SELECT user_id FROM cohort_member WHERE cohort_id = :c"), {"c": big})]
        exams = sorted(row[0] for row in connection.execute(sa.text(
            "SELECT DISTINCT scenario_id FROM run WHERE mode = 'exam'")))
        runs = connection.execute(sa.text("SELECT count(*) FROM run")).scalar()
        emails = [connection.execute(sa.text("SELECT email FROM \"user\" WHERE id = :u"),
                                     {"u": user_id}).scalar() for user_id in members[:5]]
        last = connection.execute(sa.text("SELECT max(finished_at) FROM run")).scalar()
    engine.dispose()
    now = last if isinstance(last, datetime) else datetime.fromisoformat(str(last))
    return {"trainees": ids, "big_cohort": big, "small_cohort": big + 1, "big_members": members,
            "exam_slugs": exams, "now": now.replace(tzinfo=UTC) + timedelta(days=1),
            "runs": runs, "emails": emails}


def main(argv: list[str] | None = None) -> dict[int, dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, nargs="+", default=[10_000])
    parser.add_argument("--runs-per-trainee", type=float, default=20)
    parser.add_argument("--cohorts", type=int, default=200)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page")
    parser.add_argument("--budget", type=float, default=120,
                        help="seconds per page after which it is not requested again")
    parser.add_argument("--memory-gb", type=float, default=8,
                        help="address space this process may use (a page that needs more "
                             "fails with 'out of memory' instead of taking the machine down)")
    parser.add_argument("--timeout", type=float, default=0,
                        help="stop a request after this many seconds (0: never)")
    parser.add_argument("--pages", nargs="+", help="only the pages whose label has one of "
                                                   "these words")
    parser.add_argument("--warm-up", action="store_true",
                        help="warm up as `sandbox serve` does before its workers fork, so "
                             "that '1st' is a worker's first request")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the SQLite databases here")
    parser.add_argument("--smoke", action="store_true",
                        help="200 trainees with 5 runs each, 3 requests per page")
    options = parser.parse_args(argv)
    if options.smoke:
        options.trainees, options.runs_per_trainee, options.repeat = [200], 5, 3
        options.cohorts = 20
    # a soft limit, given back at the end (the smoke test runs inside pytest)
    kept = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (int(options.memory_gb * 2 ** 30), kept[1]))
    try:
        return run_sizes(options)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, kept)


def run_sizes(options) -> dict[int, dict]:
    os.environ.setdefault("PASSWORD_HASH_METHOD", HASH_METHOD)
    folder = options.keep or Path(tempfile.mkdtemp(prefix="org-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"org scale: {options.database}, Flask test client, {options.repeat} requests per "
          f"page, checkout {ROOT}", flush=True)
    results = {}
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(throwaway_postgres()) \
            if options.database == "postgresql" else None
        for trainees in options.trainees:
            print(f"N={trainees:,}", flush=True)
            name = f"org_{trainees}_{options.runs_per_trainee:g}_{options.cohorts}" \
                if options.keep else f"org_{uuid.uuid4().hex[:8]}"
            url, ready = new_database(options.database, server, folder, name)
            company = company_of(url, trainees) if ready else build(
                url, trainees, runs_per_trainee=options.runs_per_trainee,
                cohorts=options.cohorts, smoke=options.smoke)
            results[trainees] = measure(url, company, options.repeat, options.budget,
                                        options.timeout, options.pages, options.warm_up)
    if not options.keep:
        shutil.rmtree(folder, ignore_errors=True)
    if len(results) > 1:
        growth(results)
    return results


def growth(results: dict[int, dict]) -> None:
    """Each page's p95 and CPU p50 at the smallest and the largest size, and their ratio: at
    10x the people, a ratio well under 10 is sub-linear (the CPU figure is the one a shared
    machine disturbs least)."""
    sizes = sorted(results)
    low, high = sizes[0], sizes[-1]
    print(f"growth from {low:,} to {high:,} trainees ({high / low:.0f}x the people): "
          f"p95, then CPU p50")
    for label in results[low]:
        if label not in results[high]:
            continue
        figures = []
        for key, q in (("total", 95), ("cpu", 50)):
            before, after = quantile(results[low][label][key], q), \
                quantile(results[high][label][key], q)
            figures.append(f"{before:8.1f} -> {after:8.1f} ms  x{after / before:5.1f}")
        print(f"  {label:<42} " + "   ".join(figures))


if __name__ == "__main__":
    main()
