"""The editor's story view tells every shipped scenario whole: every event of the timeline and of
the scenes, every branch with what fires it, each a button to its line."""

import html as markup
import re

import pytest

from sandbox import library
from tests.conftest import SHIPPED

SHIPPED_FILES = sorted(path.stem for path in SHIPPED.glob("*.yaml"))


@pytest.fixture
def trainer(app, auth, make_user):
    app.config["SCENARIOS_DIR"] = str(SHIPPED)
    make_user("trainer", email="tom@example.com")
    auth.login("tom@example.com")


def story_of(client, key) -> str:
    page = markup.unescape(client.get(f"/scenarios/{key}/edit").get_data(as_text=True))
    return re.search(r'<div id="story".*?</div>\s*</section>', page, re.S).group(0)


@pytest.mark.parametrize("key", SHIPPED_FILES)
def test_the_story_tells_every_event_and_branch_of_a_shipped_scenario(client, trainer, key):
    scenario = library.find(SHIPPED, key).scenario
    story = story_of(client, key)
    refs = [event.id for event in scenario.timeline]
    refs += [f"{name}.{i}" for name, events in scenario.scenes.items() for i in range(len(events))]
    branches = [b for e in scenario.timeline for b in e.branches]
    branches += [b for events in scenario.scenes.values() for e in events for b in e.branches]
    assert story.count('class="story-step') == len(refs)
    assert story.count('class="story-fork"') == len(branches)
    for ref in refs:
        assert f"<code>{ref}</code> ·" in story
    lines = {int(n) for n in re.findall(r'class="story-event" data-line="(\d+)"', story)}
    assert len(lines) == len(refs)  # each event at its own line


def test_a_click_target_is_the_line_of_the_event(client, trainer):
    story = story_of(client, "sunnyfoods-recall")
    text = (SHIPPED / "sunnyfoods-recall.yaml").read_text().splitlines()
    line = int(re.search(r'data-line="(\d+)"[^>]*>\s*<span class="story-when">0:30</span>',
                         story).group(1))
    assert text[line - 1].strip() == "- id: first_post"
    assert "If no reply within 10m → scene <code>pile_on</code>" in story
    assert "If action escalate → scene <code>quality_answers</code>" in story


def test_the_story_follows_the_text_as_the_trainer_types(client, trainer, auth):
    text = (SHIPPED / "sunnyfoods-recall.yaml").read_text().replace(
        "goto: quality_answers", "goto: end", 1)
    token = auth.csrf_token("/scenarios/sunnyfoods-recall/edit")
    answer = markup.unescape(client.post(
        "/scenarios/sunnyfoods-recall/validate", data={"text": text},
        headers={"HX-Request": "true", "X-CSRFToken": token}).get_data(as_text=True))
    story = re.search(r'<div id="story" class="story" hx-swap-oob="true">.*', answer, re.S).group(0)
    assert "If action escalate → the scenario ends" in story
    assert "Scenes no branch leads to: <code>quality_answers</code>" in story
