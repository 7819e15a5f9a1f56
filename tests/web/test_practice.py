"""A trainee's practice loop through the Flask client: start, act, live updates, debrief."""

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from sandbox.models import Run, RunAction

GOOD_REPLY = ("Hi Maria, we're so sorry your little one is unwell. Batch 22B is part of this "
              "morning's recall - please DM us so we can arrange a refund and check in on her "
              "today.")


@pytest.fixture
def trainee(auth, make_user, library):
    make_user("trainee", email="tess@example.com", name="Tess Lee")
    auth.login("tess@example.com")


def engine(app):
    return app.extensions["sandbox.engine"]


def start(client, auth, mode="practice", speed=10) -> int:
    token = auth.csrf_token("/practice/sunnyfoods-recall")
    response = client.post("/practice/sunnyfoods-recall/start",
                           data={"mode": mode, "speed": speed, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/runs/(\d+)$", response.headers["Location"]).group(1))


def rewind(app, run_id, seconds):
    """Move the run's start back in time, as if `seconds` of wall-clock time had passed."""
    with Session(engine(app)) as session:
        run = session.get(Run, run_id)
        run.started_at -= timedelta(seconds=seconds)
        session.add(run)
        session.commit()


def act(client, auth, run_id, key="k1", htmx=True, **fields):
    token = auth.csrf_token(f"/runs/{run_id}")
    headers = {"HX-Request": "true", "X-CSRFToken": token} if htmx else {}
    data = {"key": key, **fields} if htmx else {"key": key, "csrf_token": token, **fields}
    return client.post(f"/runs/{run_id}/actions", data=data, headers=headers)


def stored_actions(app, run_id):
    with Session(engine(app)) as session:
        return session.exec(select(RunAction).where(RunAction.run_id == run_id)).all()


def test_the_library_lists_playable_scenarios_with_their_facts(client, trainee):
    page = client.get("/practice/").get_data(as_text=True)
    assert "Recalled granola" in page and "Twitter" in page and "30 min" in page
    briefing = client.get("/practice/sunnyfoods-recall").get_data(as_text=True)
    assert "Batch 22B of honey granola is recalled since this morning." in briefing
    assert "Start the clock" in briefing


def test_the_briefing_shows_the_graded_rules_of_the_scenarios_topics(client, trainee):
    briefing = client.get("/practice/sunnyfoods-recall").get_data(as_text=True)
    assert "When a post is about health and safety" in briefing
    assert "“safety is our priority” or “safety comes first”" in briefing
    assert "Escalate it to the right colleague." in briefing
    assert "“we accept liability”" in briefing


def test_a_post_appears_once_the_simulated_clock_reaches_it(app, client, auth, trainee):
    run_id = start(client, auth, speed=1)
    assert "My 4yo was sick" not in client.get(f"/runs/{run_id}").get_data(as_text=True)
    rewind(app, run_id, 31)
    assert "My 4yo was sick" in client.get(f"/runs/{run_id}").get_data(as_text=True)


def test_the_live_fragment_sends_only_what_changed(app, client, auth, trainee):
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 31)
    first = client.get(f"/runs/{run_id}/live?since=0&acts=0", headers={"HX-Request": "true"})
    html = first.get_data(as_text=True)
    assert "My 4yo was sick" in html and 'hx-swap-oob="afterbegin:#feed-items"' in html
    assert "<html" not in html  # a fragment, not a page
    again = client.get(f"/runs/{run_id}/live?since=31&acts=0",
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "My 4yo was sick" not in again


def test_a_reply_is_stored_scored_and_shown_in_the_feed(app, client, auth, trainee):
    run_id = start(client, auth, speed=1)  # 1x: a slow machine's seconds barely move the clock
    rewind(app, run_id, 100)
    response = act(client, auth, run_id, event="first_post", action="reply", text=GOOD_REPLY)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "feed-changed"
    [stored] = stored_actions(app, run_id)
    assert stored.action == "reply" and 95 <= stored.sim_at <= 110
    assert stored.overall >= 70 and stored.score["scorer"] and stored.scorer_version
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    assert "Batch 22B is part of this morning" in page


def test_a_double_click_or_retry_is_counted_once(app, client, auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    for _ in range(2):
        act(client, auth, run_id, key="same", event="first_post", action="reply", text=GOOD_REPLY)
    assert len(stored_actions(app, run_id)) == 1


def test_an_empty_reply_is_refused_with_a_message_and_nothing_stored(app, client, auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    response = act(client, auth, run_id, event="first_post", action="reply", text="   ")
    assert response.status_code == 422
    assert "an empty message cannot be sent" in response.get_data(as_text=True)
    assert stored_actions(app, run_id) == []


def test_an_over_long_reply_is_refused_and_the_text_is_kept(app, client, auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    text = "Hi Maria, " + "so sorry " * 40
    response = act(client, auth, run_id, event="first_post", action="reply", text=text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "takes at most 280" in page
    assert "so sorry so sorry" in page  # the draft comes back to be shortened
    assert stored_actions(app, run_id) == []


def test_a_reply_to_a_post_not_yet_visible_is_refused(app, client, auth, trainee):
    run_id = start(client, auth, speed=1)
    response = act(client, auth, run_id, event="first_post", action="reply", text=GOOD_REPLY)
    assert response.status_code == 422
    assert stored_actions(app, run_id) == []


def test_a_forged_time_in_the_request_is_ignored(app, client, auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    act(client, auth, run_id, event="first_post", action="reply", text=GOOD_REPLY, at="5",
        sim_at="5")
    [stored] = stored_actions(app, run_id)
    assert stored.sim_at >= 95


def test_script_in_a_reply_is_shown_as_text_never_run(app, client, auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    act(client, auth, run_id, event="first_post", action="reply",
        text="Hi Maria <script>alert('x')</script> so sorry")
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page


def test_escalating_sends_the_note_to_the_team_panel(app, client, auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    response = act(client, auth, run_id, event="first_post", action="escalate",
                   to="quality_team", text="Parent reports a sick child after batch 22B.")
    assert response.status_code == 200, response.get_data(as_text=True)
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    assert "Parent reports a sick child" in page and "Quality &amp; Safety desk" in page


def test_without_javascript_an_action_redirects_back_to_the_run(app, client, auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    response = act(client, auth, run_id, htmx=False, event="first_post", action="like")
    assert response.status_code == 302 and response.headers["Location"] == f"/runs/{run_id}"
    assert [a.action for a in stored_actions(app, run_id)] == ["like"]


def test_finishing_shows_the_debrief_with_scores_and_the_model_answer(app, client, auth,
                                                                       trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    act(client, auth, run_id, event="first_post", action="reply", text=GOOD_REPLY)
    token = auth.csrf_token(f"/runs/{run_id}")
    response = client.post(f"/runs/{run_id}/finish", data={"csrf_token": token})
    assert response.headers["Location"] == f"/runs/{run_id}/debrief"
    page = client.get(f"/runs/{run_id}/debrief").get_data(as_text=True)
    assert "A model answer" in page and "Agility" in page and "Timeline" in page
    with Session(engine(app)) as session:
        run = session.get(Run, run_id)
        assert run.finished_at is not None and run.overall is not None
        assert run.result["events"][0]["event"] == "first_post"


def test_a_silent_trainee_misses_the_post_and_scores_zero_on_it(app, client, auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 200)  # the whole 30 simulated minutes
    client.post(f"/runs/{run_id}/finish", data={"csrf_token": auth.csrf_token()})
    with Session(engine(app)) as session:
        run = session.get(Run, run_id)
        assert run.finished_at is not None
        assert run.result["missed"] == ["first_post"] and run.overall == 0


def test_out_of_time_the_page_says_so_and_grades_the_run_only_when_the_trainee_finishes(
        app, client, auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 200)  # the whole 30 simulated minutes
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    over = re.search(r'<div id="live" class="run-over".*?<form method="post" action="([^"]+)"',
                     page, re.S)
    assert over is not None and over.group(1) == f"/runs/{run_id}/finish"
    assert re.search(r'<div id="live"[^>]*hx-get', page) is None  # no more polling
    assert client.get(f"/runs/{run_id}/debrief").headers["Location"] == f"/runs/{run_id}"
    with Session(engine(app)) as session:
        assert session.get(Run, run_id).finished_at is None
    response = client.post(over.group(1), data={"csrf_token": auth.csrf_token()})
    assert response.headers["Location"] == f"/runs/{run_id}/debrief"
    with Session(engine(app)) as session:
        assert session.get(Run, run_id).finished_at is not None


def test_an_action_sent_after_the_time_is_up_finishes_the_run_and_is_refused(app, client, auth,
                                                                            trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 200)
    response = act(client, auth, run_id, event="first_post", action="like")
    assert response.status_code == 422
    assert stored_actions(app, run_id) == []
    with Session(engine(app)) as session:
        assert session.get(Run, run_id).finished_at is not None


def test_the_debrief_replays_the_feed_at_any_moment(app, client, auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 200)
    client.post(f"/runs/{run_id}/finish", data={"csrf_token": auth.csrf_token()})
    moment = {"HX-Request": "true", "HX-Target": "replay"}
    fragment = client.get(f"/runs/{run_id}/debrief/replay?at=10", headers=moment)
    assert 'id="replay"' in fragment.get_data(as_text=True)
    assert "My 4yo" not in fragment.get_data(as_text=True)
    later = client.get(f"/runs/{run_id}/debrief/replay?at=60", headers=moment)
    assert "My 4yo" in later.get_data(as_text=True)


def test_a_trainee_asking_for_another_trainees_run_gets_404(app, client, auth, make_user,
                                                             trainee):
    run_id = start(client, auth)
    other = app.test_client()
    make_user("trainee", email="other@example.com")
    from tests.conftest import AuthActions

    AuthActions(other).login("other@example.com")
    for path in (f"/runs/{run_id}", f"/runs/{run_id}/live", f"/runs/{run_id}/debrief",
                 f"/runs/{run_id}/debrief/replay"):
        assert other.get(path).status_code == 404
        assert other.get(path, headers={"HX-Request": "true"}).status_code == 404


def test_pausing_freezes_the_clock_and_resuming_continues(app, client, auth, trainee):
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 20)
    token = auth.csrf_token(f"/runs/{run_id}")
    client.post(f"/runs/{run_id}/pause", data={"csrf_token": token})
    rewind(app, run_id, 600)  # ten minutes of wall-clock time pass while paused:
    with Session(engine(app)) as session:
        run = session.get(Run, run_id)
        run.paused_at -= timedelta(seconds=600)
        session.add(run)
        session.commit()
    assert "0:20 / 30:00" in client.get(f"/runs/{run_id}").get_data(as_text=True)
    client.post(f"/runs/{run_id}/resume", data={"csrf_token": token})
    rewind(app, run_id, 5)
    assert "0:25 / 30:00" in client.get(f"/runs/{run_id}").get_data(as_text=True)


def test_exam_runs_cannot_be_paused(app, client, auth, trainee):
    run_id = start(client, auth, mode="exam")
    token = auth.csrf_token(f"/runs/{run_id}")
    client.post(f"/runs/{run_id}/pause", data={"csrf_token": token})
    with Session(engine(app)) as session:
        assert session.get(Run, run_id).paused_at is None


def test_after_a_finished_run_the_dashboard_shows_the_ace_profile(app, client, auth, trainee):
    assert "Finish a practice run to see" in client.get("/dashboard").get_data(as_text=True)
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    act(client, auth, run_id, event="first_post", action="reply", text=GOOD_REPLY)
    client.post(f"/runs/{run_id}/finish", data={"csrf_token": auth.csrf_token()})
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'class="radar"' in page and "over 1 finished run" in page


def test_a_restarted_server_continues_the_run_at_the_right_time_with_nothing_lost(
        app, client, auth, trainee, tmp_path):
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 100)
    act(client, auth, run_id, event="first_post", action="reply", text=GOOD_REPLY)
    cookie = client.get_cookie("session", domain="sandbox.test")

    from sandbox import create_app

    restarted = create_app(dict(app.config))  # a new process: nothing kept in memory
    fresh = restarted.test_client()
    fresh.set_cookie("session", cookie.value, domain=cookie.domain)
    rewind(app, run_id, 60)  # the server was down for a minute
    page = fresh.get(f"/runs/{run_id}").get_data(as_text=True)
    assert "Batch 22B is part of this morning" in page
    clock = re.search(r"(\d+):(\d\d) / 30:00", page)
    assert 160 <= int(clock.group(1)) * 60 + int(clock.group(2)) <= 170
    restarted.extensions["sandbox.engine"].dispose()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"event": "first_post", "action": "explode"}, "not an action"),
        ({"event": "no_such_post", "action": "like"}, "no_such_post"),
        ({"event": "first_post", "action": "escalate", "to": "the_moon", "text": "Help"},
         "the_moon"),
        ({"event": "first_post", "action": "reply", "text": "x" * 20000}, "Shorten it"),
    ],
)
def test_a_malformed_action_gets_a_clear_message_and_stores_nothing(app, client, auth, trainee,
                                                                    fields, message):
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    response = act(client, auth, run_id, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored_actions(app, run_id) == []


def hints_for(client, auth, run_id, text):
    token = auth.csrf_token(f"/runs/{run_id}")
    response = client.post(f"/runs/{run_id}/hints", data={
        "event": "first_post", "action": "reply", "text": text},
        headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_live_hints_warn_once_about_words_forbidden_twice_and_never_in_an_exam(app, client,
                                                                              auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    page = hints_for(client, auth, run_id, "Calm down, reply here with your home address.")
    assert page.count("is forbidden") == 1
    assert "this scenario says not to say it" in page
    assert "postal address in a public reply" in page
    assert hints_for(client, auth, run_id, "Hi Maria, so sorry.").count("forbidden") == 0
    exam = start(client, auth, mode="exam")
    rewind(app, exam, 10)
    assert "forbidden" not in hints_for(client, auth, exam, "Calm down.")


def test_a_draft_on_an_event_that_does_not_exist_gets_no_hints_and_no_alarm(app, client, auth,
                                                                            trainee, caplog):
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    token = auth.csrf_token(f"/runs/{run_id}")
    response = client.post(f"/runs/{run_id}/hints", data={
        "event": "no_such_post", "action": "reply", "text": "Calm down."},
        headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200
    assert "forbidden" not in response.get_data(as_text=True)
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


def test_a_scorer_bug_during_live_hints_is_logged_while_the_trainee_keeps_typing(
        app, client, auth, trainee, caplog, monkeypatch):
    from sandbox.practice_view import hints

    def broken_scorer(*args, **kwargs):
        raise ZeroDivisionError("a bug in the scorer")

    monkeypatch.setattr(hints, "grade_action", broken_scorer)
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    assert "forbidden" not in hints_for(client, auth, run_id, "Calm down.")
    logged = [record for record in caplog.records if record.levelname == "ERROR"]
    assert logged and "live hints failed" in logged[0].getMessage()
    assert logged[0].exc_info[0] is ZeroDivisionError


def test_the_composer_counts_up_to_what_the_server_accepts(app, client, auth, trainee):
    from sandbox import runs

    run_id = start(client, auth)
    rewind(app, run_id, 10)
    headers = {"HX-Request": "true"}
    reply = client.get(f"/runs/{run_id}/compose?event=first_post&action=reply", headers=headers)
    escalation = client.get(f"/runs/{run_id}/compose?event=first_post&action=escalate",
                            headers=headers)
    assert 'data-max="280"' in reply.get_data(as_text=True)  # the guidelines' Twitter limit
    assert f'data-max="{runs.MAX_TEXT}"' in escalation.get_data(as_text=True)
    assert f"0 / {runs.MAX_TEXT}" in escalation.get_data(as_text=True)
