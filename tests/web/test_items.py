"""Trainers read, per exam scenario and per event, how hard it is, whether it separates strong
and weak trainees, which criteria fail and which branches fire."""

import re

import pytest

from sandbox import items
from sandbox.core.items import MIN_RUNS
from tests.conftest import AuthActions
from tests.web.test_talent import play, shelf  # noqa: F401  (the fixture)


@pytest.fixture
def trainer(app, make_user, shelf):  # noqa: F811
    make_user("trainer", email="dana@example.com", name="Dana Trainer")
    client = app.test_client()
    AuthActions(client).login("dana@example.com")
    return client


def cohort(app, make_user, size):
    """`size` trainees of rising skill, each with two exams on two scenarios."""
    for number in range(size):
        email = f"t{number}@example.com"
        make_user("trainee", email=email, name=f"Trainee {number}")
        skill = -1 if number == 0 else number / size
        play(app, email, "valemont-cancelled-train", skill=skill)
        play(app, email, "sunnyfoods-recall", skill=skill)


def test_the_item_analysis_shows_each_events_difficulty_and_separation(app, make_user, trainer):
    cohort(app, make_user, MIN_RUNS)
    play(app, "t1@example.com", "sunnyfoods-recall", mode="practice")  # never counted
    page = trainer.get("/review/items").get_data(as_text=True)
    assert "Item analysis" in page and "A cancelled evening train" in page
    section = page.split('id="scenario-valemont-cancelled-train"')[1].split("</section>")[0]
    assert f"{MIN_RUNS} counted exam runs" in section
    row = re.search(r'<tr class="item-row[^"]*">\s*<td><code>cancelled</code>(.*?)</tr>',
                    section, re.S).group(1)
    assert re.search(r"over 5 runs", row), row
    assert "not enough runs" not in row


def test_with_few_runs_the_page_says_not_enough_runs(app, make_user, trainer):
    cohort(app, make_user, 2)
    page = trainer.get("/review/items").get_data(as_text=True)
    assert f"not enough runs (2 of {MIN_RUNS})" in page


def test_the_page_is_linked_from_calibration_and_says_when_there_is_nothing(app, trainer):
    assert "/review/items" in trainer.get("/review/calibration").get_data(as_text=True)
    assert "No counted exam run yet" in trainer.get("/review/items").get_data(as_text=True)


def test_the_branches_fired_are_those_the_replay_computes(app, make_user, trainer):
    cohort(app, make_user, 3)
    with app.app_context():
        from sandbox.db import get_session

        found = {s.slug: s.analysis for s in items.analysis(get_session())}
    cancelled = next(i for i in found["valemont-cancelled-train"].items if i.event == "cancelled")
    assert sum(count for _, count in cancelled.branches) >= 1
    page = trainer.get("/review/items").get_data(as_text=True)
    label, count = cancelled.branches[0]
    assert f"{label}: {count} of {cancelled.runs}".replace('"', "&#34;") in page


def test_the_fairness_check_compares_languages_and_reply_length_on_the_page_and_the_cli(
        app, make_user, trainer):
    cohort(app, make_user, 3)
    for number in range(3):  # and a French scenario each
        play(app, f"t{number}@example.com", "verveline-erreur-prix", skill=number / 3)
    with app.app_context():
        from sandbox import fairness
        from sandbox.db import get_session

        found = fairness.fairness(get_session())
    assert (found.language.n_first, found.language.n_second) == (6, 3)
    page = trainer.get("/review/items").get_data(as_text=True)
    row = page.split('class="fairness-language"')[1].split("</tr>")[0]
    assert f"{found.language.estimate.value:+.1f} points" in row
    assert "6 English, 3 French runs" in row
    length = page.split('class="fairness-length"')[1].split("</tr>")[0]
    assert f"{found.replies} replies" in length
    done = app.test_cli_runner().invoke(args=["talent", "fairness"])
    assert done.exit_code == 0, done.output
    assert f"Language: English-scenario runs score {found.language.estimate.value:+.1f}" \
        in done.output and "6 English and 3 French runs" in done.output
    assert "Reply length:" in done.output


def test_without_french_runs_the_fairness_check_says_there_is_not_enough(app, trainer):
    page = trainer.get("/review/items").get_data(as_text=True)
    assert "not enough runs: 2 in each language needed" in page
    done = app.test_cli_runner().invoke(args=["talent", "fairness"])
    assert "Language: not enough counted exam runs" in done.output


def test_a_scenarios_page_links_to_its_item_analysis(trainer):
    page = trainer.get("/scenarios/sunnyfoods-recall").get_data(as_text=True)
    assert 'href="/review/items#scenario-sunnyfoods-recall"' in page
