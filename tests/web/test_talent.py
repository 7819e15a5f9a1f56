"""HR's talent board: profiles compared, the evidence one click away, a CSV for the spreadsheet."""

import csv
import io

import pytest

from tests.conftest import AuthActions
from tests.web.test_practice import GOOD_REPLY, act, rewind, start


def play(app, make_user, email, name, reply):
    """`name` plays the recall scenario in their own browser, sends `reply` and finishes."""
    make_user("trainee", email=email, name=name)
    browser = app.test_client()
    auth = AuthActions(browser)
    auth.login(email)
    run_id = start(browser, auth)
    rewind(app, run_id, 10)
    if reply:
        act(browser, auth, run_id, event="first_post", action="reply", text=reply)
    browser.post(f"/runs/{run_id}/finish",
                 data={"csrf_token": auth.csrf_token(f"/runs/{run_id}")})
    return run_id


@pytest.fixture
def hr(app, client, auth, make_user, library):
    play(app, make_user, "tess@example.com", "Tess Lee", GOOD_REPLY)
    play(app, make_user, "ray@example.com", "=Ray Formula", "ok")
    make_user("trainee", email="new@example.com", name="Nina New")
    make_user("hr", email="harper@example.com", name="Harper HR")
    auth.login("harper@example.com")
    return client


def test_the_board_ranks_trainees_with_percentiles_and_review_status(hr):
    page = hr.get("/talent/").get_data(as_text=True)
    assert page.index("Tess Lee") < page.index("=Ray Formula") < page.index("Nina New")
    assert "No finished run yet" in page  # Nina has not played
    assert "unreviewed" in page and "These are practice signals" in page


def test_the_board_sorts_by_a_dimension_and_ignores_an_unknown_column(hr):
    assert hr.get("/talent/?sort=efficiency").status_code == 200
    assert hr.get("/talent/?sort=drop%20table").status_code == 200


def test_the_csv_export_has_one_line_per_trainee_and_never_a_formula(hr):
    response = hr.get("/talent/export.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["name"] for r in rows] == ["Tess Lee", "'=Ray Formula", "Nina New"]
    assert rows[0]["finished_runs"] == "1" and rows[0]["graded_replies"] == "1"
    assert rows[2]["overall"] == ""


def test_a_persons_page_shows_their_runs_and_evidence_one_click_away(hr):
    board = hr.get("/talent/").get_data(as_text=True)
    link = board.split('href="/talent/people/')[1].split('"')[0]
    page = hr.get(f"/talent/people/{link}").get_data(as_text=True)
    assert "Tess Lee" in page and "Strengths and gaps" in page and "not reviewed" in page
    run_link = page.split('href="/talent/runs/')[1].split('"')[0]
    run_page = hr.get(f"/talent/runs/{run_link}").get_data(as_text=True)
    assert "A model answer" in run_page and "Batch 22B is part of" in run_page
    assert "Your review" not in run_page  # HR reads; trainers review


def test_only_hr_opens_the_talent_pages(app, client, auth, make_user, library):
    run_id = play(app, make_user, "tess@example.com", "Tess Lee", GOOD_REPLY)
    make_user("trainer", email="dana@example.com")
    auth.login("dana@example.com")
    for path in ("/talent/", "/talent/export.csv", "/talent/people/1", f"/talent/runs/{run_id}"):
        assert client.get(path).status_code == 403


def test_unknown_people_and_runs_are_404_for_hr(hr):
    assert hr.get("/talent/people/99999").status_code == 404
    assert hr.get("/talent/runs/99999").status_code == 404
