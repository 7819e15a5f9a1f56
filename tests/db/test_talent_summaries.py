"""The talent pages read run summaries kept by the write path: on a generated company they show
exactly what the run-by-run computation shows, and a finished run, a review or a void changes
them at once."""

import random
from datetime import timedelta
from pathlib import Path
from statistics import median

import pytest
from sqlmodel import Session, col, select

from benchmarks import org_scale
from sandbox import (
    accounts,
    db,
    demo,
    evidence,
    library,
    reviews,
    runs,
    talent,
    talent_figures,
    talent_store,
)
from sandbox.core.ability import Observation, fit, over_time
from sandbox.evidence import COUNTED, EvidenceRules, evidence_of, sufficiency
from sandbox.models import CohortMember, Run, RunSummary, User, UserRole, utcnow
from sandbox.profile import DIMENSIONS, profile_of
from sandbox.reviews import standing
from sandbox.talent import COLUMNS, flags_for, percentile
from sandbox.talent_filters import BoardQuery

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


# --------------------------------------------------------------------------- the oracle
# The board as it was computed before the summaries: every run loaded, one at a time.


def runs_in_view(session, trainees, query):
    found = session.exec(select(Run).where(
        col(Run.finished_at).is_not(None), col(Run.result).is_not(None),
        col(Run.user_id).in_([user.id for user in trainees]))
        .order_by(col(Run.started_at), col(Run.id))).all()
    by_user = {}
    for run in found:
        day = run.finished_at.date()
        if query.start and day < query.start or query.end and day > query.end:
            continue
        if query.scenario and run.scenario_id != query.scenario:
            continue
        if query.language and runs.played(session, run).scenario.language != query.language:
            continue
        by_user.setdefault(run.user_id, []).append(run)
    return by_user


def oracle_board(session, query=None, rules=None):
    query, rules = query or BoardQuery(), rules or EvidenceRules()
    people = select(User).join(UserRole).where(UserRole.role == "trainee", col(User.is_active))
    if query.cohort is not None:
        people = people.join(CohortMember, col(CohortMember.user_id) == col(User.id)).where(
            CohortMember.cohort_id == query.cohort)
    trainees = list(session.exec(people))
    by_user = runs_in_view(session, trainees, query)
    rows = []
    for user in trainees:
        finished = by_user.get(user.id, [])
        kinds = {run.id: evidence_of(session, run, rules).kind for run in finished}
        counted = [run for run in finished if kinds[run.id] == COUNTED]
        scores = [standing(run) for run in counted]
        rows.append(talent.TalentRow(
            user=user, profile=profile_of(counted), runs=counted, scores=scores,
            graded_replies=sum(1 for run in counted for a in run.actions if a.overall is not None),
            sufficiency=sufficiency(counted, rules),
            reviewed=sum(1 for score in scores if score.reviewed),
            practice=sum(1 for k in kinds.values() if k == "practice"),
            voided=sum(1 for k in kinds.values() if k == "voided"),
            incomplete=sum(1 for k in kinds.values() if k == "incomplete"),
            last_finished=max((run.finished_at for run in finished), default=None)))
    for column in ("overall", *DIMENSIONS):
        found = fit([Observation(row.user.id, run.scenario_id, score.overall
                                 if column == "overall" else score.dimensions[column])
                     for row in rows for run, score in zip(row.runs, row.scores, strict=True)
                     if column == "overall" or column in score.dimensions])
        for row in rows:
            if row.user.id in found.abilities:
                row.ability[column] = found.abilities[row.user.id]
            if column == "overall":
                row.adjusted_trend = [round(score.overall + found.difficulty[run.scenario_id])
                                      for run, score in zip(row.runs, row.scores, strict=True)]
    ranked = [row for row in rows if row.ranked]
    middle = {}
    for column in ("overall", *DIMENSIONS):
        population = sorted(row.value(column) for row in ranked)
        for row in ranked:
            row.percentiles[column] = percentile(row.value(column), population)
        if population:
            middle[column] = median(population)
    for row in ranked:
        row.flags = flags_for(row, len(ranked), middle)
    column = query.sort if query.sort in COLUMNS else "overall"
    rows.sort(key=lambda row: (not row.ranked, -row.value(column) if row.ranked else 0,
                               row.user.name.lower(), row.user.id))
    return rows


def oracle_history(rows, row):
    found = {}
    for column in ("overall", *DIMENSIONS):
        observations, mine = [], []
        for other in rows:
            for run, score in zip(other.runs, other.scores, strict=True):
                if column == "overall" or column in score.dimensions:
                    observations.append((run.finished_at, Observation(
                        other.user.id, run.scenario_id,
                        score.overall if column == "overall" else score.dimensions[column])))
                    if other is row:
                        mine.append(run)
        mine.sort(key=lambda run: run.finished_at)
        for run, (_, ability) in zip(mine, over_time(observations, row.user.id), strict=True):
            found.setdefault(run.id, {})[column] = ability
    return [(run.id, found.get(run.id, {}))
            for run in sorted(row.runs, key=lambda run: run.finished_at)]


# --------------------------------------------------------------------------- what a page shows


def bands(abilities):
    """A band as the pages print it, and the estimate to the ninth decimal."""
    return {column: (round(a.estimate), round(a.low), round(a.high), a.runs,
                     round(a.estimate, 9), round(a.error, 9))
            for column, a in abilities.items()}


def shown(row):
    """Everything the board, the export and a person's page show of a row."""
    counted = [run if isinstance(run, int) else run.id for run in row.runs]
    return (row.user.id, row.ranked, row.sufficiency.summary, row.sufficiency.missing, counted,
            row.practice, row.voided, row.incomplete, row.graded_replies, row.reviewed,
            row.profile.overall, row.profile.dimensions, row.profile.trend,
            row.profile.sparkline(width=60, height=20), row.percentiles,
            [(f.label, f.why, f.evidence) for f in row.flags], bands(row.ability),
            row.adjusted_trend, row.value("trend"),
            row.last_finished.date() if row.last_finished else None)


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    """A generated company of 80 trainees (about 800 runs), with voids and reviews made
    through the write path on top of the generated ones."""
    folder = tmp_path_factory.mktemp("company")
    url = f"sqlite:///{folder / 'company.db'}"
    facts = org_scale.build(url, 80, runs_per_trainee=10, cohorts=6, seed=5, smoke=True)
    engine = db.make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        trainer = session.exec(select(User).where(User.email == "trainer@org.example.com")).one()
        exams = session.exec(select(Run).where(Run.mode == "exam").order_by(col(Run.id))).all()
        for number, run in enumerate(exams[::17]):
            if number % 2:
                evidence.record_void(session=session, run=run, trainer=trainer,
                                     key=f"v{run.id}", decision="void", reason="Not them.")
            else:
                reviews.record_review(session=session, run=run, reviewer=trainer,
                                      key=f"r{run.id}", decision="override",
                                      overall=random.Random(run.id).randint(0, 100),
                                      comment="Read again.")
    yield {**facts, "url": url, "engine": engine}
    engine.dispose()


VIEWS = {
    "everyone": BoardQuery(),
    "sorted by agility": BoardQuery(sort="agility"),
    "sorted by trend": BoardQuery(sort="trend"),
    "sorted by replies": BoardQuery(sort="replies"),
    "a cohort, in English": BoardQuery(cohort=2, language="en"),
    "a period and a scenario": "period",
}


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_of_the_board_shows_what_the_run_by_run_computation_shows(company, view):
    query = VIEWS[view]
    if query == "period":
        now = company["now"]
        query = BoardQuery(start=(now - timedelta(days=70)).date(),
                           end=(now - timedelta(days=20)).date(),
                           scenario=company["exam_slugs"][0])
    with Session(company["engine"]) as session:
        expected = [shown(row) for row in oracle_board(session, query)]
        found = talent.board(session, query=query)
        assert [shown(row) for row in found.rows] == expected
        assert found.ranked == sum(1 for row in expected if row[1])


def test_stricter_evidence_rules_give_the_same_board_both_ways(company):
    rules = EvidenceRules(min_answered_share=0.9, min_exam_runs=4, min_scenarios=3)
    with Session(company["engine"]) as session:
        expected = [shown(row) for row in oracle_board(session, rules=rules)]
        assert [shown(row) for row in talent.board(session, rules=rules).rows] == expected


def shown_bands(abilities):
    """The bands as the chart and its table show them (whole points)."""
    return {column: (round(a.estimate), round(a.low), round(a.high), a.runs)
            for column, a in abilities.items()}


def test_a_persons_page_shows_the_same_bands_over_time_both_ways(company):
    with Session(company["engine"]) as session:
        rows = oracle_board(session)
        for old in [row for row in rows if row.ranked][:4] + rows[-1:]:
            row, ranked = talent.person(session, old.user.id)
            assert shown(row) == shown(old)
            assert ranked == sum(1 for each in rows if each.ranked)
            expected = oracle_history(rows, old)
            assert [(p.run.id, shown_bands(p.ability)) for p in row.history] == \
                [(run_id, shown_bands(found)) for run_id, found in expected]
            # solved directly rather than iterated: the same estimates, to the iteration's
            # tolerance
            for point, (_, found) in zip(row.history, expected, strict=True):
                for column, ability in found.items():
                    assert point.ability[column].estimate == \
                        pytest.approx(ability.estimate, abs=1e-6)
                    assert point.ability[column].error == pytest.approx(ability.error, abs=1e-6)


def test_the_generated_company_has_every_kind_of_run(company):
    with Session(company["engine"]) as session:
        kinds = [evidence_of(session, run, EvidenceRules()).kind
                 for run in session.exec(select(Run))]
    assert {kind: kinds.count(kind) > 0 for kind in set(kinds)} == {
        "counted": True, "practice": True, "voided": True, "incomplete": True}


# --------------------------------------------------------------------------- the write path


@pytest.fixture
def session(database_url, engine_for):
    db.upgrade(database_url)
    with Session(engine_for(database_url), expire_on_commit=False) as session:
        yield session


def summary(session, run):
    session.expire_all()
    return session.get(RunSummary, run.id)


def test_finishing_reviewing_and_voiding_a_run_update_its_summary_and_the_board(session):
    tess = accounts.create_user(session=session, email="tess@example.com", name="Tess",
                                password="long enough password", roles=["trainee"])
    dana = accounts.create_user(session=session, email="dana@example.com", name="Dana",
                                password="long enough password", roles=["trainer"])
    session.commit()
    entry = library.find(SCENARIOS, "sunnyfoods-recall")
    start = utcnow() - timedelta(hours=2)
    run = runs.start_run(session=session, user=tess, entry=entry, mode="exam", speed=10,
                         now=start)
    demo.play_run(session, run, random.Random(1), skill=1.0)
    assert summary(session, run) is None  # not finished: nothing to show yet
    runs.finish(session=session, run=run,
                now=start + timedelta(seconds=entry.scenario.duration / run.speed))
    first = summary(session, run)
    assert (first.overall, first.reviewed, first.voided) == (run.overall, False, False)
    assert first.graded == sum(1 for a in run.actions if a.overall is not None) > 0
    assert talent.board(session).rows[0].runs == [run.id]

    reviews.record_review(session=session, run=run, reviewer=dana, key="r", decision="override",
                          overall=12, comment="Too kind.")
    reviewed = summary(session, run)
    assert (reviewed.overall, reviewed.reviewed) == (12, True)
    assert reviewed.revision > first.revision
    assert talent.board(session).rows[0].profile.overall == 12

    evidence.record_void(session=session, run=run, trainer=dana, key="v", decision="void",
                         reason="Someone else played it.")
    assert summary(session, run).voided
    row = talent.board(session).rows[0]
    assert (row.runs, row.voided) == ([], 1)


def test_rescore_with_summaries_rebuilds_a_summary_that_went_missing(session):
    from sandbox import rescoring

    tess = accounts.create_user(session=session, email="tess@example.com", name="Tess",
                                password="long enough password", roles=["trainee"])
    session.commit()
    entry = library.find(SCENARIOS, "valemont-cancelled-train")
    run = runs.start_run(session=session, user=tess, entry=entry, mode="practice", speed=10)
    runs.finish(session=session, run=run)
    kept = summary(session, run)
    expected = {name: getattr(kept, name) for name in ("overall", "answered", "expected",
                                                       "language", "graded", "verdict")}
    session.delete(kept)
    session.commit()
    report = rescoring.rescore(session, summaries=True)
    assert report.summarised == 1
    again = summary(session, run)
    assert {name: getattr(again, name) for name in expected} == expected


def test_the_snapshot_reads_only_what_changed(session, monkeypatch):
    tess = accounts.create_user(session=session, email="tess@example.com", name="Tess",
                                password="long enough password", roles=["trainee"])
    session.commit()
    entry = library.find(SCENARIOS, "valemont-cancelled-train")
    played = []
    for _ in range(2):
        run = runs.start_run(session=session, user=tess, entry=entry, mode="exam", speed=10)
        runs.finish(session=session, run=run)
        played.append(run)
    before = talent_store.snapshot(session)
    assert sorted(before.run_id.tolist()) == [run.id for run in played]
    assert talent_store.snapshot(session) is before  # nothing new: the same arrays
    run = runs.start_run(session=session, user=tess, entry=entry, mode="exam", speed=10)
    runs.finish(session=session, run=run)
    after = talent_store.snapshot(session)
    assert sorted(after.run_id.tolist()) == [r.id for r in [*played, run]]
    assert after.revision > before.revision


def test_the_migration_summarises_the_runs_finished_before_it(session, database_url):
    from alembic import command

    tess = accounts.create_user(session=session, email="tess@example.com", name="Tess",
                                password="long enough password", roles=["trainee"])
    session.commit()
    entry = library.find(SCENARIOS, "sunnyfoods-recall")
    for mode in ("exam", "practice"):
        run = runs.start_run(session=session, user=tess, entry=entry, mode=mode, speed=10)
        demo.play_run(session, run, random.Random(2), skill=0.8)
        runs.finish(session=session, run=run)
    columns = ("run_id", "user_id", "scenario_id", "language", "mode", "answered", "expected",
               "stopped_early", "voided", "overall", "agility", "coherence", "efficiency",
               "verdict", "reviewed", "graded")

    def summaries():
        session.expire_all()
        return [tuple(getattr(s, name) for name in columns)
                for s in session.exec(select(RunSummary).order_by(RunSummary.run_id))]

    written = summaries()
    session.close()
    command.downgrade(db.alembic_config(database_url), "0008")
    db.upgrade(database_url)
    assert summaries() == written and len(written) == 2


# --------------------------------------------------------------------------- after a write


def unreviewed_counted_run(session, rows, skip=0):
    """A counted exam run of a ranked trainee that nobody has reviewed yet."""
    ranked = [row for row in rows if row.ranked]
    found = [run_id for row in ranked for run_id in row.runs
             if not session.get(RunSummary, run_id).reviewed]
    return session.get(Run, found[skip])


def test_a_review_that_confirms_a_score_updates_that_trainees_row_and_no_one_elses(
        company, monkeypatch):
    with Session(company["engine"], expire_on_commit=False) as session:
        before = {row.user.id: shown(row) for row in talent.board(session).rows}
        run = unreviewed_counted_run(session, talent.board(session).rows)
        trainer = session.exec(select(User).where(User.email == "trainer@org.example.com")).one()
        reviews.record_review(session=session, run=run, reviewer=trainer, key=f"c{run.id}",
                              decision="confirm")
        fitted = []
        computed = talent_figures._figures
        monkeypatch.setattr(talent_figures, "_figures",
                            lambda *args: fitted.append(args) or computed(*args))
        board = talent.board(session)
        after = {row.user.id: shown(row) for row in board.rows}
        assert not fitted  # the same observations: the model is not fitted again
        assert {user for user in after if after[user] != before[user]} == {run.user_id}
        assert after[run.user_id][9] == before[run.user_id][9] + 1  # one more reviewed run
        assert [shown(row) for row in board.rows] == [shown(row) for row in oracle_board(session)]


def test_a_review_that_changes_a_score_fits_the_model_again_as_the_run_by_run_computation(
        company, monkeypatch):
    with Session(company["engine"], expire_on_commit=False) as session:
        run = unreviewed_counted_run(session, talent.board(session).rows, skip=3)
        trainer = session.exec(select(User).where(User.email == "trainer@org.example.com")).one()
        reviews.record_review(session=session, run=run, reviewer=trainer, key=f"o{run.id}",
                              decision="override", overall=(run.overall + 37) % 101,
                              comment="Read again.")
        fitted = []
        computed = talent_figures._figures
        monkeypatch.setattr(talent_figures, "_figures",
                            lambda *args: fitted.append(args) or computed(*args))
        board = talent.board(session)
        assert len(fitted) == 1
        assert [shown(row) for row in board.rows] == [shown(row) for row in oracle_board(session)]


def test_an_export_after_a_review_writes_again_only_that_trainees_line(company):
    from sandbox.web.talent import talent_csv

    written = []

    def line(row):
        written.append(row.user.id)
        return talent_csv.line(row)

    with Session(company["engine"], expire_on_commit=False) as session:
        first = "".join(talent_csv.pieces(talent.board(session).every_line(line)))
        assert len(written) == len(talent.board(session).people)
        run = unreviewed_counted_run(session, talent.board(session).rows, skip=6)
        trainer = session.exec(select(User).where(User.email == "trainer@org.example.com")).one()
        reviews.record_review(session=session, run=run, reviewer=trainer, key=f"e{run.id}",
                              decision="confirm")
        written.clear()
        board = talent.board(session)
        again = "".join(talent_csv.pieces(board.every_line(line)))
        assert written == [run.user_id]
        assert again == talent_csv.write(board.rows) != first


def test_a_persons_bands_are_computed_again_only_when_their_own_runs_change(
        company, monkeypatch):
    computed = []
    solve = talent.bands_by_run
    monkeypatch.setattr(talent, "bands_by_run",
                        lambda session, row, *rest: computed.append(row.user.id)
                        or solve(session, row, *rest))
    with Session(company["engine"], expire_on_commit=False) as session:
        rows = [row for row in talent.board(session).rows if row.ranked]
        anna, ben = rows[1].user.id, rows[2].user.id
        first, _ = talent.person(session, anna)
        talent.person(session, anna)
        assert computed == [anna]
        run = session.get(Run, talent.person(session, ben)[0].runs[-1].id)
        trainer = session.exec(select(User).where(User.email == "trainer@org.example.com")).one()
        reviews.record_review(session=session, run=run, reviewer=trainer, key=f"b{run.id}",
                              decision="confirm")
        again, _ = talent.person(session, anna)
        talent.person(session, ben)
        assert computed == [anna, ben, ben]  # Ben's page after the review of his run
        assert [(p.run.id, bands(p.ability)) for p in again.history] == \
            [(p.run.id, bands(p.ability)) for p in first.history]
