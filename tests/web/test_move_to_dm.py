"""Move to DM as community managers do it: a public note the crowd sees, graded as a public
reply, plus the first private message, shown in the thread with that customer. And the
briefing: the clock speed the scenario proposes, and the response times the debrief grades."""

import re
from html.parser import HTMLParser

from sqlmodel import Session

from sandbox.core.grading import response_target, response_targets, score_event_reply
from sandbox.core.replay import compile_scenario
from sandbox.core.scenario import SHIPPED_SCENARIOS, load_scenario
from sandbox.models import Run
from tests.web.test_practice import act, rewind, start, stored_actions, trainee  # noqa: F401

NOTE = "Hi Maria, we've sent you a direct message so we can sort this out privately. - Sam"
MESSAGE = "Hi Maria, so sorry. Could you tell us the batch number on the pack? - Sam"


VOID = {"input", "br", "img", "meta", "link", "hr", "source"}


class Element(HTMLParser):
    """The text of every element whose attributes match, found with the standard library."""

    def __init__(self, html: str, **wanted: str):
        super().__init__()
        self.wanted, self.found, self.open = wanted, [], []  # open: [tag, depth, parts]
        self.feed(html)

    def _matches(self, tag: str, attrs: dict) -> bool:
        for key, value in self.wanted.items():
            key = key.rstrip("_")
            if key == "tag" and tag != value:
                return False
            if key == "class" and value not in (attrs.get("class") or "").split():
                return False
            if key not in ("tag", "class") and attrs.get(key) != value:
                return False
        return True

    def handle_starttag(self, tag, attrs):
        for entry in self.open:
            if entry[0] == tag:
                entry[1] += 1
        if tag not in VOID and self._matches(tag, dict(attrs)):
            self.open.append([tag, 1, []])

    def handle_endtag(self, tag):
        for entry in list(self.open):
            if entry[0] == tag:
                entry[1] -= 1
                if entry[1] == 0:
                    self.open.remove(entry)
                    self.found.append(" ".join("".join(entry[2]).split()))

    def handle_data(self, data):
        for entry in self.open:
            entry[2].append(data)


def texts(html: str, **wanted: str) -> list[str]:
    return Element(html, **wanted).found


def page(client, run_id, **args) -> str:
    return client.get(f"/runs/{run_id}", query_string=args).get_data(as_text=True)


def test_the_move_to_dm_form_has_a_prefilled_public_note_and_a_private_message(
        app, client, auth, trainee):  # noqa: F811
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 60)
    html = page(client, run_id, event="first_post", action="move_to_dm")
    assert texts(html, tag="textarea", name="text") == [
        "Hi Maria, we've sent you a direct message so we can sort this out privately."]
    assert texts(html, tag="textarea", name="dm") == [""]
    assert {"Public note (everyone sees it)", "Private message (only they see it)"} <= set(
        texts(html, tag="label"))


def test_moving_to_dm_shows_the_note_in_public_and_the_message_in_the_customers_thread(
        app, client, auth, trainee):  # noqa: F811
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 60)
    response = act(client, auth, run_id, event="first_post", action="move_to_dm",
                   text=NOTE, dm=MESSAGE)
    assert response.status_code == 200, response.get_data(as_text=True)
    stored = stored_actions(app, run_id)
    assert [(a.action, a.text, a.sim_at == stored[0].sim_at) for a in stored] == [
        ("move_to_dm", NOTE, True), ("dm", MESSAGE, True)]
    html = page(client, run_id)
    [thread] = texts(html, id="thread-item-first_post")
    assert NOTE in thread and MESSAGE not in thread
    [dms] = texts(html, id="dm-list")
    assert NOTE not in dms
    assert texts(html, class_="dm-with") == ["Maria Kowalski @maria_k"]
    [conversation] = texts(html, id="dm-thread-item-maria")
    assert MESSAGE in conversation


def test_the_public_note_is_graded_as_a_public_reply(app, client, auth, trainee):  # noqa: F811
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 60)
    act(client, auth, run_id, event="first_post", action="move_to_dm",
        text="Hi Maria, we've DMed you at maria.k@example.com and on 07700 900461.",
        dm=MESSAGE)
    note, message = stored_actions(app, run_id)
    privacy = {c["id"]: c for c in note.score["criteria"]}["privacy"]
    assert privacy["critical"] and note.overall <= 20
    assert not {c["id"]: c for c in message.score["criteria"]}.get(
        "privacy", {"critical": False})["critical"]


def test_a_move_to_dm_without_its_private_message_is_refused_and_keeps_the_note(
        app, client, auth, trainee):  # noqa: F811
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 60)
    response = act(client, auth, run_id, event="first_post", action="move_to_dm",
                   text=NOTE, dm="  ")
    assert response.status_code == 422
    form = response.get_data(as_text=True)
    assert texts(form, role="alert") == [
        "Write the private message first: an empty message cannot be sent."]
    assert texts(form, tag="textarea", name="text") == [NOTE]
    assert stored_actions(app, run_id) == []


def test_a_double_clicked_move_to_dm_is_stored_once(app, client, auth, trainee):  # noqa: F811
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 60)
    for _ in range(2):
        act(client, auth, run_id, key="same", event="first_post", action="move_to_dm",
            text=NOTE, dm=MESSAGE)
    assert [a.action for a in stored_actions(app, run_id)] == ["move_to_dm", "dm"]


def test_the_briefing_proposes_the_scenarios_speed_and_the_graded_response_times(
        client, trainee):  # noqa: F811
    html = client.get("/practice/sunnyfoods-recall").get_data(as_text=True)
    checked = re.findall(r'<input type="radio" name="speed" value="(\d+)" checked>', html)
    assert checked == ["5"]  # a 30-minute script
    assert texts(html, class_="response-target") == [
        "Answer health and safety posts within 10 min (no points for speed after 30 min).",
        "Answer product posts within 10 min (no points for speed after 1 h)."]


def test_the_briefing_announces_exactly_the_delays_the_scorer_grades_for_every_scenario():
    """For every event a shipped scenario expects an answer to, the model answer sent on the
    announced target gets full marks for speed, and a minute later it does not."""
    for path in sorted(SHIPPED_SCENARIOS.glob("*.yaml")):
        loaded = load_scenario(path)
        for ref, spec in compile_scenario(loaded.scenario).events.items():
            times = response_target(loaded.scenario, loaded.guidelines, ref)
            if times is None or spec.expect is None or not spec.expect.model_answer:
                continue
            speed = [{c.id: c.score for c in score_event_reply(
                scenario=loaded.scenario, guidelines=loaded.guidelines, event_id=ref,
                reply=spec.expect.model_answer, after_s=after).criteria}["timeliness"]
                for after in (times[0], times[0] + 60)]
            assert speed[0] == 100 and speed[1] < 100, (path.name, ref, speed)
        announced = {t.about: t.target for t in response_targets(loaded.scenario,
                                                                  loaded.guidelines)}
        assert announced, path.name


def test_starting_without_a_speed_uses_the_scenarios_speed(app, client, auth, trainee):  # noqa: F811
    token = auth.csrf_token("/practice/sunnyfoods-recall")
    response = client.post("/practice/sunnyfoods-recall/start",
                           data={"mode": "practice", "csrf_token": token})
    run_id = int(re.search(r"/runs/(\d+)$", response.headers["Location"]).group(1))
    with Session(app.extensions["sandbox.engine"]) as session:
        assert session.get(Run, run_id).speed == 5
