"""The live page's poll: when nothing new can be on the feed it is answered from the run's clock
(no feed built, one small fragment), and the next poll comes when something is due."""

import random
import re

import pytest
from sqlalchemy import event
from sqlmodel import Session

from sandbox.models import Run, utcnow
from sandbox.practice_view.poll import FASTEST, HEARTBEAT, LivePoll
from sandbox.practice_view.workspace import changes
from tests.web.test_practice import act, engine, rewind, start, trainee  # noqa: F401

pytestmark = pytest.mark.usefixtures("trainee")

POLLER = re.compile(r'<div id="live" hx-get="([^"]+)"\s+hx-trigger="every (\d+)s, '
                    r'feed-changed from:body"')


def poller(html: str) -> tuple[str, int]:
    found = POLLER.search(html)
    assert found, "the page has no poller"
    return found.group(1).replace("&amp;", "&"), int(found.group(2))


def quiet(html: str) -> bool:
    """An answer that is only the next poller: no item, counter or clock swapped in."""
    return html.lstrip().startswith('<div id="live"') and "hx-swap-oob" not in html


class Queries:
    def __init__(self, app):
        self.engine, self.count = engine(app), 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self.seen)
        return self

    def seen(self, *_):
        self.count += 1

    def __exit__(self, *_):
        event.remove(self.engine, "before_cursor_execute", self.seen)


def test_a_poll_before_anything_is_due_gets_only_the_next_poll_when_maria_posts(
        app, client, auth):
    run_id = start(client, auth, speed=1)  # first_post is due at 30s: 30 wall seconds away
    url, delay = poller(client.get(f"/runs/{run_id}").get_data(as_text=True))
    assert "due=30" in url and delay == HEARTBEAT
    rewind(app, run_id, 3)
    with Queries(app) as queries:
        answer = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert quiet(answer)
    assert poller(answer)[0] == url  # the page still shows the same moment
    assert queries.count == 1  # who asks (still signed in, a trainee, the run's owner); its clock
    rewind(app, run_id, 30)  # 33s: Maria's post is there
    answer = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert not quiet(answer) and "My 4yo" in answer


def test_a_poll_after_an_action_builds_the_feed(app, client, auth):
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 40)
    url, _ = poller(client.get(f"/runs/{run_id}").get_data(as_text=True))
    act(client, auth, run_id, event="first_post", action="like")
    answer = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert not quiet(answer) and 'id="state-' in answer


def test_a_poll_for_another_trainees_run_is_refused_as_before(app, client, auth,
                                                              make_user):
    run_id = start(client, auth, speed=1)
    url, _ = poller(client.get(f"/runs/{run_id}").get_data(as_text=True))
    make_user("trainee", email="other@example.com")
    from tests.conftest import AuthActions

    other = app.test_client()
    AuthActions(other).login("other@example.com")
    assert other.get(url).status_code == 404


def test_a_quiet_answer_always_matches_the_full_feed(app, client, auth):
    """Over random clocks and actions on the shipped recall scenario: whenever the poll is
    answered quietly, building the feed would have shown no new item and no new state."""
    outcomes = set()
    for seed in range(12):
        chance = random.Random(seed)
        run_id = start(client, auth, speed=chance.choice([1, 2, 5, 10]))
        rewind(app, run_id, chance.randint(0, 200))
        if chance.random() < 0.5:
            act(client, auth, run_id, key=f"k{seed}", event="first_post", action="like")
        page = client.get(f"/runs/{run_id}")
        if page.status_code != 200 or POLLER.search(page.get_data(as_text=True)) is None:
            continue  # over: nothing polls
        url, _ = poller(page.get_data(as_text=True))
        rewind(app, run_id, chance.randint(0, 12))
        asked_at = utcnow()  # the server answers at this moment or a little later
        answer = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
        outcomes.add(quiet(answer))
        if quiet(answer):
            since = int(re.search(r"since=(\d+)", url).group(1))
            acts = int(re.search(r"acts=(\d+)", url).group(1))
            with app.test_request_context(), Session(engine(app)) as session:
                full = changes(session, session.get(Run, run_id), since=since,
                               known_actions=acts, now=asked_at)
            assert full.new == [] and full.states == [] and not full.space.over, seed
    assert outcomes == {True, False}  # both ways were tried


def test_a_paused_run_does_not_poll_until_resumed(app, client, auth):
    run_id = start(client, auth, speed=1)
    client.post(f"/runs/{run_id}/pause", data={"csrf_token": auth.csrf_token()})
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    assert re.search(r'<div id="live"[^>]*hx-trigger="feed-changed from:body"', page)
    with Session(engine(app)) as session:
        assert session.get(Run, run_id).paused_at is not None


def test_the_next_poll_comes_when_something_is_due_within_two_to_ten_seconds():
    def delay(now, due, speed=1.0, since=0):
        return LivePoll(run_id=1, since=since, acts=0, due=due, now=now, speed=speed).delay

    assert delay(now=0, due=30) == HEARTBEAT  # due in 30 s: the heartbeat comes first
    assert delay(now=3, due=30) == 7  # the heartbeat is 10 s after the page's moment
    assert delay(now=24, due=30, since=20) == 6
    assert delay(now=29, due=30, since=25) == FASTEST  # never faster than every 2 s
    assert delay(now=50, due=900, speed=10) == 5  # the heartbeat is 100 s of a 10x clock
    assert delay(now=80, due=120, speed=10, since=60) == 4  # due in 40 s at 10x


def test_a_quiet_poll_from_a_deactivated_account_or_a_copied_signed_out_cookie_is_refused(
        app, client, auth):
    """The one-read answer checks the sign-in as every page does: nothing new to say is no
    reason to answer someone who is no longer signed in."""
    from sandbox import accounts
    from sandbox.models import User

    run_id = start(client, auth, speed=1)
    url, _ = poller(client.get(f"/runs/{run_id}").get_data(as_text=True))
    assert quiet(client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True))
    copied = app.test_client()
    cookie = client.get_cookie("session", domain="sandbox.test")
    copied.set_cookie("session", cookie.value, domain=cookie.domain)
    client.post("/sign-out", data={"csrf_token": auth.csrf_token()})
    assert copied.get(url, headers={"HX-Request": "true"}).status_code == 302  # to sign in
    auth.login("tess@example.com")
    with Session(engine(app)) as session:
        accounts.set_active(session=session, user=session.get(User, 1), active=False)
        session.commit()
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 302


def test_a_poll_that_builds_the_feed_reads_one_row_once_the_page_has_read_the_runs_actions(
        app, client, auth):
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 40)  # Maria's post (30s) is there, the page shows 0s
    act(client, auth, run_id, event="first_post", action="like")
    url, _ = poller(client.get(f"/runs/{run_id}").get_data(as_text=True))
    rewind(app, run_id, 60)  # more is due: the poll builds the feed
    with Queries(app) as queries:
        answer = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
        assert not quiet(answer) and "hx-swap-oob" in answer
        assert queries.count == 2  # its one row, then the run and its actions (kept)
        again = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    keys = re.compile(r'name="key" value="[0-9a-f]+"')  # each form's own idempotency key
    assert keys.sub("", again) == keys.sub("", answer)
    assert queries.count == 3  # who asks, the run's clock and how many actions: all it reads
    act(client, auth, run_id, key="k2", event="first_post", action="reply", text="So sorry!")
    with Queries(app) as queries:
        answer = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "So sorry!" in answer  # the action just stored kept the run's actions
    assert queries.count == 1


def test_a_poll_from_the_actions_kept_in_the_process_shows_what_reading_the_run_shows(
        app, client, auth):
    """Over random clocks and actions: the fragment built from the poll's one read and the
    actions this process kept is the one built from the run read with its actions."""
    from sandbox import runs
    from sandbox.practice_view import run_actions
    from sandbox.practice_view.poll import LiveRun

    kinds = [{"action": "like"}, {"action": "reply", "text": "We are so sorry, please DM us."},
             {"action": "hide"}]
    compared = 0
    for seed in range(8):
        chance = random.Random(seed)
        run_id = start(client, auth, speed=chance.choice([1, 5, 10]))
        rewind(app, run_id, chance.randint(31, 120))
        for number in range(chance.randint(0, 2)):
            act(client, auth, run_id, key=f"k{seed}-{number}", event="first_post",
                **chance.choice(kinds))
        rewind(app, run_id, chance.randint(0, 60))
        page = client.get(f"/runs/{run_id}")  # the page keeps the run's actions
        if page.status_code != 200 or POLLER.search(page.get_data(as_text=True)) is None:
            continue
        if chance.random() < 0.5:  # or an action just stored does
            act(client, auth, run_id, key=f"k{seed}-last", event="first_post", action="like")
        since = chance.randint(0, 200)
        now = utcnow()
        with app.test_request_context(), Session(engine(app)) as session:
            run = runs.playing(session, run_id)
            kept = run_actions.recall(run, len(run.actions))
            assert kept is not None, seed
            row = LiveRun(run.id, run.scenario_digest, run.guidelines_digest, run.mode,
                          run.speed, run.started_at, run.paused_seconds)
            read = changes(session, run, since=since, known_actions=1, now=now)
            fast = changes(session, row, since=since, known_actions=1, now=now, actions=kept)
            template = app.jinja_env.get_template("practice/_live.html")
            assert (template.render(update=fast, space=fast.space, new_key=lambda: "key")
                    == template.render(update=read, space=read.space, new_key=lambda: "key"))
            compared += 1
    assert compared >= 4
