"""HR's talent board: exam runs as evidence, the minimum before ranking, filters, pages, the
CSV; and the trainer who voids a run."""

import csv
import io
import random
import shutil
import uuid
from datetime import timedelta

import pytest

from sandbox import accounts, cohorts, db, demo, library, runs, talent
from sandbox.models import utcnow
from tests.conftest import SHIPPED, AuthActions

SCENARIOS = {"sunnyfoods-recall": "sunnyfoods", "valemont-cancelled-train": "valemont",
             "verveline-erreur-prix": "verveline"}


@pytest.fixture
def shelf(app, tmp_path):
    """Three shipped scenarios, two of them in English and one in French."""
    folder = tmp_path / "scenarios"
    (folder / "guidelines").mkdir(parents=True)
    for slug, guidelines in SCENARIOS.items():
        shutil.copy(SHIPPED / f"{slug}.yaml", folder)
        shutil.copy(SHIPPED / "guidelines" / f"{guidelines}.yaml", folder / "guidelines")
    app.config["SCENARIOS_DIR"] = str(folder)
    return folder


def play(app, email, slug="sunnyfoods-recall", *, mode="exam", skill=1.0, abandoned=False,
         days_ago=1) -> int:
    """`email` plays `slug` through the runs' write path: the model answers (skill 1), nothing
    at all (skill below 0, to the end), or gives up after a fifth of the clock."""
    with app.app_context():
        session = db.get_session()
        user = accounts.find_user(session, email)
        entry = next(e for e in library.entries(app.config["SCENARIOS_DIR"]) if e.slug == slug)
        started = utcnow() - timedelta(days=days_ago)
        run = runs.start_run(session=session, user=user, entry=entry, mode=mode, speed=10,
                             now=started)
        length = entry.scenario.duration / run.speed
        if abandoned:
            length /= 5
        else:
            demo.play_run(session, run, random.Random(7), skill=skill)
        runs.finish(session=session, run=run, now=started + timedelta(seconds=length))
        return run.id


def ranked_trainee(app, make_user, email, name, *, skill=1.0, mode="exam"):
    make_user("trainee", email=email, name=name)
    return [play(app, email, slug, skill=skill, mode=mode)
            for slug in ("sunnyfoods-recall", "valemont-cancelled-train", "sunnyfoods-recall")]


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def hr(app, client, auth, make_user, shelf):
    ranked_trainee(app, make_user, "tess@example.com", "Tess Lee")
    ranked_trainee(app, make_user, "ray@example.com", "=Ray Formula", skill=-1)
    make_user("trainee", email="new@example.com", name="Nina New")
    make_user("hr", email="harper@example.com", name="Harper HR")
    auth.login("harper@example.com")
    return client


def test_the_board_ranks_trainees_with_enough_exam_runs_and_says_who_lacks_evidence(hr):
    page = hr.get("/talent/").get_data(as_text=True)
    assert page.index("Tess Lee") < page.index("=Ray Formula") < page.index("Nina New")
    assert "3 counted exam runs on 2 scenarios" in page
    assert "Not enough evidence</strong> to compare: needs 3 more exam runs and 2 more " \
           "scenarios" in page  # Nina has not played
    assert "unreviewed" in page and "These are practice signals" in page


def test_practice_runs_are_shown_on_the_persons_page_but_never_ranked(app, hr, make_user):
    ids = ranked_trainee(app, make_user, "pat@example.com", "Pat Practice", mode="practice")
    board = hr.get("/talent/").get_data(as_text=True)
    row = board.split("Pat Practice")[1].split("</tr>")[0]
    assert "0 counted exam runs on 0 scenarios" in row and "3 practice" in row
    assert "Not enough evidence" in row and "p50" not in row
    with app.app_context():
        user = accounts.find_user(db.get_session(), "pat@example.com")
    page = hr.get(f"/talent/people/{user.id}").get_data(as_text=True)
    assert page.count("Practice · not counted") == len(ids)
    assert "Not enough evidence to compare Pat Practice" in page
    assert "No counted exam run yet" in page and "Finish a practice run" not in page


def test_a_run_abandoned_early_is_marked_incomplete_and_left_out(app, hr, make_user):
    make_user("trainee", email="quin@example.com", name="Quin Quitter")
    play(app, "quin@example.com", "sunnyfoods-recall")
    play(app, "quin@example.com", "valemont-cancelled-train")
    play(app, "quin@example.com", "valemont-cancelled-train", abandoned=True)
    row = hr.get("/talent/").get_data(as_text=True).split("Quin Quitter")[1].split("</tr>")[0]
    assert "2 counted exam runs on 2 scenarios" in row and "1 incomplete" in row
    assert "needs 1 more exam run" in row
    with app.app_context():
        quin_id = accounts.find_user(db.get_session(), "quin@example.com").id
    page = hr.get(f"/talent/people/{quin_id}").get_data(as_text=True)
    assert "on average over 2 counted exam runs" in page  # not the 3 runs it lists
    rows = read_csv(hr.get("/talent/export.csv"))
    quin = next(r for r in rows if r["name"] == "Quin Quitter")
    assert (quin["incomplete_runs"], quin["counted_exam_runs"], quin["enough_evidence"]) == \
        ("1", "2", "no")


def test_a_run_played_to_the_end_without_answers_counts_as_a_weak_run(app, hr):
    rows = read_csv(hr.get("/talent/export.csv"))
    ray = next(r for r in rows if r["name"] == "'=Ray Formula")
    assert ray["counted_exam_runs"] == "3" and ray["incomplete_runs"] == "0"
    assert int(ray["overall"]) < 20


def test_the_share_that_makes_a_run_incomplete_is_a_setting(app, hr, make_user):
    make_user("trainee", email="quin@example.com", name="Quin Quitter")
    play(app, "quin@example.com", abandoned=True)
    app.config["TALENT_MIN_ANSWERED_SHARE"] = 0.0
    rows = read_csv(hr.get("/talent/export.csv"))
    assert next(r for r in rows if r["name"] == "Quin Quitter")["incomplete_runs"] == "0"


def test_the_minimum_of_evidence_is_a_setting(app, hr):
    app.config.update(TALENT_MIN_EXAM_RUNS=4)
    page = hr.get("/talent/").get_data(as_text=True)
    assert "fewer than 4 counted exam runs" in page and "p50" not in page
    assert page.count("needs 1 more exam run.") == 2


def void(client, auth, run_id, reason="Played by a colleague.", decision="void", key=None):
    token = auth.csrf_token(f"/review/runs/{run_id}")
    return client.post(f"/review/runs/{run_id}/void",
                       data={"csrf_token": token, "key": key or uuid.uuid4().hex,
                             "decision": decision, "reason": reason})


def test_a_trainer_voids_a_run_with_a_reason_the_trainee_and_hr_read(app, make_user, shelf):
    ids = ranked_trainee(app, make_user, "tess@example.com", "Tess Lee")
    make_user("trainer", email="dana@example.com", name="Dana Trainer")
    make_user("hr", email="harper@example.com", name="Harper HR")
    trainer = app.test_client()
    trainer_auth = AuthActions(trainer)
    trainer_auth.login("dana@example.com")
    done = void(trainer, trainer_auth, ids[0], reason="Her manager played it to try the tool.")
    assert done.status_code == 302
    page = trainer.get(done.headers["Location"]).get_data(as_text=True)
    assert "Run voided" in page and "Count this run again" in page

    hr = app.test_client()
    AuthActions(hr).login("harper@example.com")
    board = hr.get("/talent/").get_data(as_text=True)
    assert "2 counted exam runs on 2 scenarios" in board and "1 voided" in board
    with app.app_context():
        tess = accounts.find_user(db.get_session(), "tess@example.com")
    person = hr.get(f"/talent/people/{tess.id}").get_data(as_text=True)
    assert "Voided by Dana Trainer" in person and "Her manager played it" in person
    assert "Her manager played it" in hr.get(f"/talent/runs/{ids[0]}").get_data(as_text=True)

    trainee = app.test_client()
    AuthActions(trainee).login("tess@example.com")
    debrief = trainee.get(f"/runs/{ids[0]}/debrief").get_data(as_text=True)
    assert "Voided · not counted" in debrief and "Her manager played it" in debrief

    void(trainer, trainer_auth, ids[0], reason="Checked: she played it herself.",
         decision="restore")
    assert "3 counted exam runs" in hr.get("/talent/").get_data(as_text=True)
    history = hr.get(f"/talent/runs/{ids[0]}").get_data(as_text=True)
    assert "Void decisions (2)" in history and "counted it again" in history


def test_voiding_needs_a_reason_and_a_double_click_records_it_once(app, make_user, shelf):
    [run_id, *_] = ranked_trainee(app, make_user, "tess@example.com", "Tess Lee")
    make_user("trainer", email="dana@example.com", name="Dana Trainer")
    client = app.test_client()
    auth = AuthActions(client)
    auth.login("dana@example.com")
    refused = void(client, auth, run_id, reason="  ")
    assert refused.status_code == 422 and "Say why" in refused.get_data(as_text=True)
    assert void(client, auth, run_id, key="same").status_code == 302
    assert void(client, auth, run_id, key="same").status_code == 302
    again = void(client, auth, run_id)
    assert again.status_code == 422 and "already voided" in again.get_data(as_text=True)
    with app.app_context():
        from sandbox.models import Run

        assert len(db.get_session().get(Run, run_id).voids) == 1


def test_filters_narrow_the_board_by_cohort_period_scenario_and_language(app, hr, make_user):
    make_user("trainee", email="fleur@example.com", name="Fleur French")
    play(app, "fleur@example.com", "verveline-erreur-prix", days_ago=40)
    with app.app_context():
        session = db.get_session()
        cohort = cohorts.create_cohort(session, name="Spring intake")
        cohorts.add_people(session, cohort, "tess@example.com")
        cohort_id = cohort.id
    only_tess = hr.get(f"/talent/?cohort={cohort_id}").get_data(as_text=True)
    assert "Tess Lee" in only_tess and "Ray Formula" not in only_tess
    french = hr.get("/talent/?language=fr").get_data(as_text=True)
    fleur = french.split("Fleur French")[1].split("</tr>")[0]
    assert "1 counted exam run on 1 scenario" in fleur
    assert "0 counted exam runs" in french.split("Tess Lee")[1].split("</tr>")[0]
    recall = hr.get("/talent/?scenario=sunnyfoods-recall").get_data(as_text=True)
    assert "2 counted exam runs on 1 scenario" in recall.split("Tess Lee")[1].split("</tr>")[0]
    earlier = (utcnow() - timedelta(days=50)).date().isoformat()
    month_ago = (utcnow() - timedelta(days=30)).date().isoformat()
    old = hr.get(f"/talent/?start={earlier}&end={month_ago}").get_data(as_text=True)
    assert "1 counted exam run on 1 scenario" in old.split("Fleur French")[1].split("</tr>")[0]
    assert "0 counted exam runs" in old.split("Tess Lee")[1].split("</tr>")[0]
    rows = read_csv(hr.get(f"/talent/export.csv?cohort={cohort_id}"))
    assert [r["name"] for r in rows] == ["Tess Lee"]


@pytest.mark.parametrize("query", ["cohort=abc", "cohort=999", "start=yesterday",
                                   "end=2026-13-45", "scenario=..%2Fetc", "language=klingon",
                                   "page=-1", "page=99999999999999999999", "sort=%3Cscript%3E",
                                   "page=1&page=2", "start=2026-01-01T00:00"])
def test_a_malformed_query_gets_a_clear_message_never_an_error_page(hr, query):
    response = hr.get(f"/talent/?{query}")
    assert response.status_code == 200
    if not query.startswith(("sort", "page=1&")):
        assert 'class="flash flash-warning"' in response.get_data(as_text=True)
    assert hr.get(f"/talent/export.csv?{query}").status_code == 200


def test_the_board_is_paged_and_a_page_past_the_end_shows_the_last(app, hr, make_user):
    from sandbox.talent_filters import PAGE_SIZE

    for number in range(PAGE_SIZE):
        make_user("trainee", email=f"t{number}@example.com", name=f"Trainee {number:02}")
    first = hr.get("/talent/").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = hr.get("/talent/?page=2").get_data(as_text=True)
    assert "Tess Lee" in first and "Tess Lee" not in second and "Trainee 24" in second
    beyond = hr.get("/talent/?page=50").get_data(as_text=True)
    assert "only 2 pages: showing the last" in beyond and "Trainee 24" in beyond
    assert len(read_csv(hr.get("/talent/export.csv?page=2"))) == PAGE_SIZE + 3  # every page


def test_every_flag_says_why_in_visible_text_and_what_it_rests_on(app, hr, make_user):
    for number in range(3):
        ranked_trainee(app, make_user, f"p{number}@example.com", f"Person {number}", skill=-1)
    page = hr.get("/talent/").get_data(as_text=True)
    tess = page.split("Tess Lee")[1].split("</tr>")[0]
    assert "top 20%" in tess and "title=" not in tess
    assert "of the 5 trainees with enough evidence, its band clear of the middle." in tess
    assert "Rests on 3 counted exam runs on 2 scenarios." in tess
    rows = read_csv(hr.get("/talent/export.csv"))
    assert "top 20%: overall above" in rows[0]["flags"]
    assert "rests on" not in rows[0]["flags"] and "(3 counted exam runs on 2 scenarios)" in \
        rows[0]["flags"]


def test_the_csv_export_has_the_boards_columns_the_evidence_counts_and_never_a_formula(hr):
    response = hr.get("/talent/export.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert [r["name"] for r in rows] == ["Tess Lee", "'=Ray Formula", "Nina New"]
    tess = rows[0]
    assert tess["finished_runs"] == "3" and tess["counted_exam_runs"] == "3"
    assert tess["scenarios"] == "2" and tess["enough_evidence"] == "yes"
    assert tess["overall_percentile"] and tess["agility_percentile"]
    assert rows[2]["overall"] == "" and rows[2]["flags"].startswith("not enough evidence")


def test_a_persons_page_shows_their_runs_and_evidence_one_click_away(hr):
    board = hr.get("/talent/").get_data(as_text=True)
    link = board.split('href="/talent/people/')[1].split('"')[0]
    page = hr.get(f"/talent/people/{link}").get_data(as_text=True)
    assert "Tess Lee" in page and "Strengths and gaps" in page and "not reviewed" in page
    assert page.count("Exam · counted") == 3
    run_link = page.split('href="/talent/runs/')[1].split('"')[0]
    run_page = hr.get(f"/talent/runs/{run_link}").get_data(as_text=True)
    assert "A model answer" in run_page
    assert "Your review" not in run_page and "Void this run" not in run_page


def test_only_hr_opens_the_talent_pages(app, client, auth, make_user, shelf):
    [run_id, *_] = ranked_trainee(app, make_user, "tess@example.com", "Tess Lee")
    make_user("trainer", email="dana@example.com")
    auth.login("dana@example.com")
    for path in ("/talent/", "/talent/export.csv", "/talent/people/1", f"/talent/runs/{run_id}"):
        assert client.get(path).status_code == 403


def test_unknown_people_and_runs_are_404_for_hr(hr):
    assert hr.get("/talent/people/99999").status_code == 404
    assert hr.get("/talent/runs/99999").status_code == 404



def test_the_board_shows_difficulty_adjusted_estimates_as_bands(app, hr):
    page = hr.get("/talent/").get_data(as_text=True)
    tess = page.split("Tess Lee")[1].split("</tr>")[0]
    assert tess.count('aria-label="95% band from') == 4  # overall and each dimension
    assert "difficulty-adjusted" in page
    nina = page.split("Nina New")[1].split("</tr>")[0]
    assert "95% band" not in nina  # not enough evidence: no figure to compare
    rows = read_csv(hr.get("/talent/export.csv"))
    for column in ("overall", "agility", "coherence", "efficiency"):
        assert int(rows[0][f"{column}_low"]) <= int(rows[0][column]) <= \
            int(rows[0][f"{column}_high"])
    assert rows[0]["overall_mean"] and rows[2]["overall_low"] == ""
    with app.app_context():
        tess_id = accounts.find_user(db.get_session(), "tess@example.com").id
    person = hr.get(f"/talent/people/{tess_id}").get_data(as_text=True)
    assert "Difficulty-adjusted ability" in person and person.count("95% band from") == 4


def test_a_persons_page_charts_their_bands_after_each_counted_exam_with_the_runs(app, hr):
    with app.app_context():
        session = db.get_session()
        tess_id = accounts.find_user(session, "tess@example.com").id
        row, _ = talent.person(session, tess_id)
        history = [point.ability["overall"] for point in row.history]
    page = hr.get(f"/talent/people/{tess_id}").get_data(as_text=True)
    section = page.split('id="bands-over-time"')[1].split("</section>")[0]
    assert section.count('<svg viewBox="0 0 300 100"') == 4  # overall and each dimension
    assert section.count('class="bands-point"') == 12  # a dot per run per chart
    rows = section.split('<tr class="bands-run">')[1:]
    assert len(rows) == 3 and "A cancelled evening train" in section
    # one run, then two, then three behind each band; Ray's runs finished later, so they
    # narrow today's band, not the one HR saw after Tess's last run
    assert [a.runs for a in history] == [1, 2, 3]
    for row_html, a in zip(rows, history, strict=True):
        assert f"{round(a.estimate)} <small class=\"muted\">{round(a.low)}–" \
               f"{round(a.high)}</small>" in row_html
    assert 'style="' not in section and "<script" not in section


def test_a_person_without_counted_exams_has_no_chart(app, hr):
    with app.app_context():
        nina = accounts.find_user(db.get_session(), "new@example.com").id
    assert 'id="bands-over-time"' not in hr.get(f"/talent/people/{nina}").get_data(as_text=True)
