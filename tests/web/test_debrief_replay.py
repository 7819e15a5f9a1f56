"""The debrief's replay: a marker for everything that happened, a slider that reaches the run's end,
and the run at any moment as it was then (DMs, team messages, likes, hides, each reply's score)."""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlmodel import Session, select

from sandbox import library as scenario_library
from sandbox import runs
from sandbox.core.replay import compile_scenario, feed_at
from sandbox.models import Run, User, utcnow
from sandbox.practice_view.replay import MARKER_KINDS
from tests.web.test_practice import GOOD_REPLY

FOLLOW_UP = ("Hi Maria, so glad your little one is feeling better. Keep the rest of the box aside, "
             "and you can get a full refund or a replacement, no receipt needed. DM us and your "
             "refund is sorted today.\n\n- Sam")
PUBLIC_NOTE = "Hi Maria, we've sent you a direct message so we can sort this out privately."
PRIVATE_MESSAGE = "Hi Maria, Sam here. Could you tell us the best-before date on the box?"


@dataclass
class PlayedRun:
    id: int
    end: int
    at: dict[str, int]  # what the trainee did -> when (simulated seconds)
    hidden: str  # the chatter item the trainee muted


def play_a_varied_run(session: Session, user: User, folder, *, mode: str = "practice",
                      start=None) -> PlayedRun:
    """A finished run of the recall scenario in which the trainee did one of everything: reply,
    like, escalate (a branch brings the quality team's answer), move to DM, hide, and a good
    answer to the follow-up (a second branch: the thank-you). Speed 1: wall seconds are
    simulated seconds."""
    entry = scenario_library.find(folder, "sunnyfoods-recall")
    start = start or utcnow() - timedelta(hours=1)
    run = runs.start_run(session=session, user=user, entry=entry, mode=mode, speed=1, now=start)
    chatter = next(item["id"] for item in feed_at(compile_scenario(entry.scenario), at=150).items
                   if item["id"].startswith("noise.") and item["at"] >= 0)
    plan = [
        ("reply", 45, dict(event="first_post", text=GOOD_REPLY)),
        ("like", 70, dict(event="first_post")),
        ("escalate", 95, dict(event="first_post", to="quality_team",
                              text="Parent reports a sick child after batch 22B.")),
        ("move_to_dm", 130, dict(event="first_post", text=PUBLIC_NOTE, dm=PRIVATE_MESSAGE)),
        ("hide", 150, dict(event=chatter)),
        ("follow_up", 500, dict(event="open_box", text=FOLLOW_UP)),
    ]
    for name, second, fields in plan:
        runs.record_action(session=session, run=run, key=name,
                           action="reply" if name == "follow_up" else name,
                           now=start + timedelta(seconds=second), **fields)
    runs.finish(session=session, run=run, now=start + timedelta(seconds=703))
    return PlayedRun(run.id, run.finished_sim_s, {name: second for name, second, _ in plan},
                     chatter)


def engine(app):
    return app.extensions["sandbox.engine"]


@pytest.fixture
def played(app, auth, make_user, library) -> PlayedRun:
    user_id = make_user("trainee", email="tess@example.com", name="Tess Lee")
    auth.login("tess@example.com")
    with Session(engine(app)) as session:
        return play_a_varied_run(session, session.get(User, user_id), library)


def moment(client, played, at: int) -> str:
    """The run at `at`, as replay.js fetches it while the clock moves."""
    response = client.get(f"/runs/{played.id}/debrief/replay?at={at}",
                          headers={"HX-Request": "true", "HX-Target": "replay"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="replay-at"' not in html  # the moment alone
    return html


def opened(client, played, at: int | None = None) -> str:
    """The replay section's content, as the debrief loads it when the trainee opens it."""
    query = "" if at is None else f"?at={at}"
    response = client.get(f"/runs/{played.id}/debrief/replay{query}",
                          headers={"HX-Request": "true", "HX-Target": "replay-body"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html  # the fragment, not the page
    return html


def markers_of(page: str) -> list[tuple[int, str, str]]:
    """(second, kind, label) of every marker on the slider, in page order."""
    return [(int(at), kind, label) for at, label, kind in re.findall(
        r'<a class="marker[^"]*" href="[^"]*"\s+data-at="(\d+)" aria-label="([^"]*)">\s*'
        r'<title>[^<]*</title>\s*<use href="#marker-(\w+)"', page)]


def test_every_kind_of_marker_sits_at_the_second_it_happened(client, played):
    found = markers_of(opened(client, played))
    at = played.at
    seconds = {kind: [second for second, k, _ in found if k == kind]
               for kind in MARKER_KINDS}
    assert 30 in seconds["event"]  # Maria's post
    assert at["escalate"] + 180 in seconds["event"]  # the quality team's answer
    assert seconds["reply"] == [at["reply"], at["follow_up"]]
    assert seconds["like"] == [at["like"]]
    assert seconds["escalate"] == [at["escalate"]]
    assert seconds["move_to_dm"] == [at["move_to_dm"]]  # one marker: its note and its message
    assert seconds["hide"] == [at["hide"]]
    assert seconds["branch"] == [at["escalate"], at["follow_up"]]
    labels = "\n".join(f"{kind}: {label}" for _, kind, label in found)
    for expected in (r"reply: 0:45: You replied to Maria Kowalski · \d+/100",
                     r"like: 1:10: You liked Maria Kowalski’s post",
                     r"escalate: 1:35: You escalated Maria Kowalski’s post to Quality &amp; "
                     r"Safety desk( · \d+/100)?",
                     r"move_to_dm: 2:10: You moved Maria Kowalski to DM · \d+/100",
                     r"hide: 2:30: You muted @\w+",
                     r"branch: 1:35: Reaction on Maria Kowalski’s post: action escalate → "
                     r"quality answers",
                     r"branch: 8:20: Reaction on Maria Kowalski’s comment: reply passes → "
                     r"maria thanks",
                     r"event: 4:35: Quality &amp; Safety desk wrote in the team panel: "
                     r"“Confirmed, 22B is in the recall.*”"):
        assert re.search(f"^{expected}$", labels, re.M), expected


def test_the_slider_reaches_the_start_and_the_runs_end_exactly(client, played):
    page = client.get(f"/runs/{played.id}/debrief?at=0").get_data(as_text=True)
    slider = re.search(r'<input id="replay-at" type="range"[^>]*>', page).group(0)
    low, high, step = (int(re.search(rf'{name}="(\d+)"', slider).group(1))
                       for name in ("min", "max", "step"))
    assert (low, high) == (0, played.end) and played.end == 703
    assert (high - low) % step == 0  # the last value is reachable, whatever the step
    assert 'value="0"' in slider
    end = client.get(f"/runs/{played.id}/debrief?at={played.end}").get_data(as_text=True)
    assert 'value="703"' in re.search(r'<input id="replay-at"[^>]*>', end).group(0)
    past = moment(client, played, 10_000)  # beyond the end: the end
    assert "The run at <strong>11:43</strong> of 11:43" in past


def test_the_replay_shows_likes_hides_dms_and_team_messages_as_they_were(client, played):
    at = played.at
    liked = re.compile(r"\bliked\b", re.I)
    assert not liked.search(_state(moment(client, played, at["like"] - 1), "first_post"))
    assert liked.search(_state(moment(client, played, at["like"]), "first_post"))

    muted = re.compile(r"\bmuted\b")
    assert not muted.search(_state(moment(client, played, at["hide"] - 1), played.hidden))
    assert muted.search(_state(moment(client, played, at["hide"]), played.hidden))

    before_dm = moment(client, played, at["move_to_dm"] - 1)
    assert PRIVATE_MESSAGE not in before_dm and "No direct messages yet." in before_dm
    after_dm = moment(client, played, at["move_to_dm"])
    thread = after_dm.split('class="dm-thread"', 1)[1]
    assert "Maria Kowalski" in thread.split("</h3>", 1)[0] and PRIVATE_MESSAGE in thread
    assert escape(PUBLIC_NOTE) in after_dm  # the public note, under her post

    answer = "Confirmed, 22B is in the recall"
    escalated = moment(client, played, at["escalate"])
    assert "Parent reports a sick child" in escalated and answer not in escalated
    assert answer in moment(client, played, at["escalate"] + 180)


def test_the_replay_shows_a_post_answered_from_the_moment_the_trainee_replied(client, played):
    def standing(at: int) -> str:
        html = moment(client, played, at)
        return _words(html.split('id="conv-item-first_post"', 1)[1].split("</div>", 1)[0])

    assert "Waiting" in standing(played.at["reply"] - 1)
    answered = standing(played.at["reply"])
    assert "Answered in" in answered and "Waiting" not in answered
    assert "Waiting" not in standing(played.at["like"])  # and stays answered after


def test_each_reply_shows_the_score_that_stands_from_the_moment_it_was_sent(app, client, played):
    with Session(engine(app)) as session:
        run = session.get(Run, played.id)
        standing = run.result["events"][0]["replies"][0]["overall"]
    assert f">{standing}<span>/100</span>" not in moment(client, played, played.at["reply"] - 1)
    sent = moment(client, played, played.at["reply"])
    log = sent.split('class="replay-log-list', 1)[1].split("</ol>", 1)[0]
    assert re.search(rf'href="#review-item-first_post"[^>]*>{standing}<span>/100</span>', log)
    assert f"Your reply · scored {standing}/100" in sent  # on the reply itself, in the feed


def test_an_exam_run_is_replayed_with_its_scores_too(app, client, auth, make_user, library):
    user_id = make_user("trainee", email="eve@example.com", name="Eve Exam")
    auth.login("eve@example.com")
    with Session(engine(app)) as session:
        played = play_a_varied_run(session, session.get(User, user_id), library, mode="exam")
    page = moment(client, played, played.end)
    assert re.search(r'class="score-chip verdict-\w+"[^>]*>\d+<span>/100</span>', page)


def _state(html: str, ref: str) -> str:
    """What the replay shows of the trainee's doings on the item `ref` (its badges and counts),
    up to the next item (its thread's comments have their own)."""
    opening = f'id="state-item-{re.sub(r"[^A-Za-z0-9_-]", "-", ref)}"'
    assert opening in html, f"{ref} is not on the feed"
    return html.split(opening, 1)[1].split('id="item-', 1)[0]


def _words(html: str) -> str:
    return " ".join(html.split())


def test_the_debriefs_first_response_has_the_scores_and_the_evidence_but_not_the_replay(
        client, played):
    page = client.get(f"/runs/{played.id}/debrief").get_data(as_text=True)
    assert 'class="overall-number"' in page and "<h2>Timeline</h2>" in page
    assert 'id="review-item-first_post"' in page and "A model answer" in page
    assert 'id="replay-section"' in page and "Show the replay" in page  # the section, closed
    assert f'hx-get="/runs/{played.id}/debrief/replay"' in page
    assert 'id="replay"' not in page and 'id="replay-at"' not in page  # no feed, no slider
    assert 'id="item-' not in page and "data-replay-root" not in page
    assert f'href="/runs/{played.id}/debrief?at=30#replay-section"' in page  # "Replay from"


def test_the_opened_replay_is_what_the_debrief_showed_in_the_page(client, played):
    opened_now = opened(client, played)
    page = client.get(f"/runs/{played.id}/debrief?at={played.end}").get_data(as_text=True)
    inline = page.split('<div id="replay-body" class="replay-body">', 1)[1]
    inline = inline.split("</details>", 1)[0].rsplit("</div>", 1)[0]
    assert _words(opened_now) == _words(inline)
    assert "The run at <strong>11:43</strong> of 11:43" in opened_now
    assert 'id="item-first_post"' in opened_now and PRIVATE_MESSAGE in opened_now
    assert len(markers_of(opened_now)) >= 10
    at_a_moment = opened(client, played, played.at["like"])
    assert _words(moment(client, played, played.at["like"])) in _words(at_a_moment)


def test_the_markers_read_from_the_moment_shown_are_those_of_the_whole_run(app, played):
    from sandbox.practice_view.replay import markers, replay, standing_scores

    with Session(engine(app)) as session:
        run = session.get(Run, played.id)
        game = runs.played(session, run)
        compiled = compile_scenario(game.scenario)
        actions = runs.trainee_actions(run)
        scores = standing_scores(run, compiled)
        shared = replay(run, game.scenario, game.guidelines, compiled, actions, at=played.end,
                        end=played.end, scores=scores)
        alone = markers(run, game.scenario, game.guidelines, compiled, actions,
                        end=played.end, scores=scores)
    assert shared.markers == alone


def test_the_replay_asked_for_outside_htmx_is_the_debrief_open_at_that_moment(client, played):
    response = client.get(f"/runs/{played.id}/debrief/replay")
    assert response.status_code == 302
    assert response.headers["Location"] == (f"/runs/{played.id}/debrief?at={played.end}"
                                            "#replay-section")
    response = client.get(f"/runs/{played.id}/debrief/replay?at=70")
    assert response.headers["Location"] == f"/runs/{played.id}/debrief?at=70#replay-section"


def test_the_replay_of_a_run_the_debrief_would_not_show_gets_the_debriefs_answer(
        app, client, auth, played, library):
    hx = {"HX-Request": "true"}
    assert client.get("/runs/999999/debrief/replay", headers=hx).status_code == 404
    with Session(engine(app)) as session:
        user = session.exec(select(User).where(User.email == "tess@example.com")).one()
        entry = scenario_library.find(library, "sunnyfoods-recall")
        playing = runs.start_run(session=session, user=user, entry=entry, mode="practice",
                                 speed=1).id
    assert client.get(f"/runs/{playing}/debrief").headers["Location"] == f"/runs/{playing}"
    plain = client.get(f"/runs/{playing}/debrief/replay")
    assert plain.headers["Location"] == f"/runs/{playing}"
    in_page = client.get(f"/runs/{playing}/debrief/replay", headers=hx)
    assert in_page.headers["HX-Redirect"] == f"/runs/{playing}"  # the whole page goes there


def test_a_rude_reply_to_a_background_post_is_shown_on_the_debrief_with_what_is_wrong(
        app, client, auth, make_user, library):
    user_id = make_user("trainee", email="rex@example.com", name="Rex Rude")
    auth.login("rex@example.com")
    with Session(engine(app)) as session:
        entry = scenario_library.find(library, "sunnyfoods-recall")
        start = utcnow() - timedelta(hours=1)
        run = runs.start_run(session=session, user=session.get(User, user_id), entry=entry,
                             mode="practice", speed=1, now=start)
        chatter = next(item for item in feed_at(compile_scenario(entry.scenario), at=300).items
                       if item["id"].startswith("noise.") and item["at"] >= 0)
        rude = "Calm down, it's your own fault. Read the terms, idiot."
        runs.record_action(session=session, run=run, key="r", action="reply",
                           event=chatter["id"], text=rude,
                           now=start + timedelta(seconds=chatter["at"] + 20))
        runs.finish(session=session, run=run, now=start + timedelta(seconds=700))
        run_id, result = run.id, run.result
    page = client.get(f"/runs/{run_id}/debrief").get_data(as_text=True)
    others = page.split('id="other-replies"', 1)[1].split("</section>", 1)[0]
    assert "Replies to other posts" in page and "Not graded" in others
    assert escape(rude) in others and escape(chatter["text"]) in others
    assert others.count('class="bad"') >= 2  # the insult and the forbidden "calm down"
    assert "Nothing the brand" not in others
    assert all(event["event"] != chatter["id"] for event in result["events"])  # not scored
