"""GET never writes: a run whose time is up stays as it is, whoever opens whichever page about
it, until the trainee's Finish (a POST) grades it."""

from datetime import timedelta

import pytest
from sqlmodel import Session

from sandbox.models import Run
from tests.conftest import csrf_token_from
from tests.security.conftest import snapshot
from tests.security.routes import every_route

BLUEPRINTS = ("home", "practice", "review", "talent", "cohorts")
ROLES = ("trainee", "trainer", "hr", "admin")


@pytest.fixture
def over_run(app, world) -> int:
    """The world's live run, its clock run out an hour ago and nobody has finished it."""
    with Session(app.extensions["sandbox.engine"]) as session:
        run = session.get(Run, world.live_run)
        run.started_at -= timedelta(hours=1)
        session.add(run)
        session.commit()
        assert run.finished_at is None
    return world.live_run


def _pages(app, world, over_run: int) -> list[str]:
    """Every GET of those blueprints, about the finished run and about the run that is over."""
    urls = []
    for route in every_route(app, world):
        if route.method != "GET" or route.endpoint.split(".")[0] not in BLUEPRINTS:
            continue
        urls.append(route.url)
        for run_id in (world.finished_run, over_run):
            for other in (world.finished_run, over_run):
                if f"/runs/{run_id}" in route.url and other != run_id:
                    urls.append(route.url.replace(f"/runs/{run_id}", f"/runs/{other}"))
    return urls + [f"/runs/{over_run}/live?since=0&acts=0",
                   f"/runs/{over_run}/debrief?at=60", f"/runs/{over_run}/debrief/replay?at=60"]


def test_no_page_of_practice_review_talent_or_cohorts_writes_even_for_a_run_out_of_time(
        app, world, client_as, over_run):
    pages = _pages(app, world, over_run)
    assert f"/runs/{over_run}" in pages and f"/runs/{over_run}/debrief" in pages
    wrote = []
    for role in ROLES:
        client = client_as(role)
        for url in pages:
            for headers in ({}, {"HX-Request": "true"}):
                before = snapshot(app)
                response = client.get(url, headers=headers)
                response.close()
                assert response.status_code < 500, f"{role} GET {url}: {response.status_code}"
                if snapshot(app) != before:
                    wrote.append(f"{role} GET {url} {headers}")
    assert wrote == []


def test_the_run_out_of_time_is_graded_by_the_trainees_finish(app, world, client_as,
                                                              over_run):
    trainee = client_as("trainee")
    assert trainee.get(f"/runs/{over_run}").status_code == 200  # shown as over, not graded
    page = trainee.get("/account/password").get_data(as_text=True)
    response = trainee.post(f"/runs/{over_run}/finish", data={"csrf_token": csrf_token_from(page)})
    assert response.headers["Location"] == f"/runs/{over_run}/debrief"
    with Session(app.extensions["sandbox.engine"]) as session:
        run = session.get(Run, over_run)
        assert run.finished_at is not None and run.overall is not None
