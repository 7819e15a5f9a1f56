"""The story drawn as a diagram beside the YAML: every event of the timeline and of the scenes on a
time axis, every branch a fork with an edge to its scene, each going to its line when clicked."""

import html as markup
import re

import pytest

from sandbox import library
from sandbox.core.scenario import parse_scenario_text
from sandbox.web.author import diagram, story
from tests.conftest import LIBRARY_RECALL, SHIPPED

SHIPPED_FILES = sorted(path.stem for path in SHIPPED.glob("*.yaml"))
RECALL = LIBRARY_RECALL.read_text()  # a fixed copy: the tests count on its events and times


@pytest.fixture
def trainer(app, auth, make_user):
    app.config["SCENARIOS_DIR"] = str(SHIPPED)
    make_user("trainer", email="tom@example.com")
    auth.login("tom@example.com")


def drawn(text: str) -> diagram.Diagram:
    loaded = parse_scenario_text(text, "story.yaml", [SHIPPED / "guidelines"])
    return diagram.layout(story.build(loaded.scenario, text))


def by_ref(found: diagram.Diagram) -> dict[str, diagram.Node]:
    return {node.step.ref: node for node in found.nodes}


def diagram_of(client, key) -> str:
    page = markup.unescape(client.get(f"/scenarios/{key}/edit").get_data(as_text=True))
    return re.search(r'<svg class="diagram".*?</svg>', page, re.S).group(0)


@pytest.mark.parametrize("key", SHIPPED_FILES)
def test_the_diagram_draws_every_event_and_branch_of_a_shipped_scenario(client, trainer, key):
    scenario = library.find(SHIPPED, key).scenario
    refs = [event.id for event in scenario.timeline]
    refs += [f"{name}.{i}" for name, events in scenario.scenes.items() for i in range(len(events))]
    branches = [b for e in scenario.timeline for b in e.branches]
    branches += [b for events in scenario.scenes.values() for e in events for b in e.branches]
    svg = diagram_of(client, key)
    assert sorted(re.findall(r'class="diagram-node[^"]*" data-line="\d+" data-column="1" '
                             r'data-ref="([^"]+)"', svg)) == sorted(refs)
    assert svg.count('class="diagram-fork') == len(branches)
    to_scenes = [b for b in branches if b.goto in scenario.scenes]
    assert svg.count('class="diagram-edge') == len(to_scenes)
    lines = {(SHIPPED / f"{key}.yaml").read_text().splitlines()[int(n) - 1].strip()
             for n in re.findall(r'class="diagram-fork[^"]*" data-line="(\d+)"', svg)}
    assert all(line.startswith("- when:") for line in lines)  # a fork goes to its branch


@pytest.mark.parametrize("key", SHIPPED_FILES)
def test_nothing_in_a_shipped_diagram_overlaps_and_time_runs_down(key):
    found = drawn((SHIPPED / f"{key}.yaml").read_text())
    boxes = [(n.x, n.y, n.width, n.height) for n in found.nodes]
    boxes += [(p.x, p.y, p.width, p.height) for p in found.pills]
    for index, (x, y, w, h) in enumerate(boxes):
        assert x > 0 and x + w <= found.width and y > 0 and y + h <= found.height
        for (x2, y2, w2, h2) in boxes[index + 1:]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y
    reached = [n for n in found.nodes if n.at is not None]
    assert [n.at for n in sorted(reached, key=lambda n: n.y)] == sorted(n.at for n in reached)


def test_a_scene_shows_at_the_earliest_moment_its_branch_can_fire():
    nodes = by_ref(drawn(RECALL))
    assert (nodes["first_post"].time, nodes["first_post"].exact) == ("0:30", True)
    # pile_on follows 10 minutes of silence, or at once a poor reply: at the earliest, 0:30
    assert nodes["pile_on.0"].time == "≥0:30"
    # the quality team answers 3 minutes after an escalation, which can come at once
    assert nodes["quality_answers.0"].time == "≥3:30"
    # the thank-you follows a reply to open_box, which shows 6 minutes after the escalation
    assert nodes["maria_thanks.0"].time == "≥8:30"


def test_a_scene_that_only_silence_opens_has_a_certain_time():
    text = RECALL.replace("      - when: {reply_score_below: 40}\n        goto: pile_on\n", "")
    nodes = by_ref(drawn(text))
    assert (nodes["pile_on.0"].time, nodes["pile_on.0"].exact) == ("10:30", True)
    assert [p.silence for p in drawn(text).pills][:1] == [True]


def test_events_after_the_end_are_drawn_below_the_end_line_and_marked():
    text = RECALL.replace("    - after: 3m\n      kind: internal",
                          "    - after: 40m\n      kind: internal", 1)
    found = drawn(text)
    late = by_ref(found)["quality_answers.0"]
    assert late.late and late.y > found.end_y
    assert not by_ref(found)["first_post"].late and by_ref(found)["first_post"].y < found.end_y


def test_public_and_private_events_have_their_lanes_and_an_unreached_scene_is_drawn():
    text = RECALL.replace("goto: quality_answers", "goto: end", 1)
    found = drawn(text)
    assert [lane.title for lane in found.lanes] == ["Public feed", "DMs and team"]
    nodes = by_ref(found)
    assert nodes["quality_answers.0"].lane == 1 and nodes["first_post"].lane == 0
    assert nodes["quality_answers.0"].at is None and nodes["quality_answers.0"].time == "—"
    assert found.unreached_y is not None and nodes["quality_answers.0"].y > found.unreached_y
    assert any("the scenario ends" in line for p in found.pills for line in p.lines)


def test_a_click_on_a_node_goes_to_the_line_of_its_event(client, trainer):
    svg = diagram_of(client, "sunnyfoods-recall")
    lines = (SHIPPED / "sunnyfoods-recall.yaml").read_text().splitlines()
    line = int(re.search(r'data-line="(\d+)" data-column="1" data-ref="first_post"', svg).group(1))
    assert lines[line - 1].strip() == "- id: first_post"
    line = int(re.search(r'data-line="(\d+)" data-column="1" data-ref="pile_on.0"', svg).group(1))
    assert lines[line - 1].strip().startswith("- {after: 0s, kind: comment")
    assert 'role="button" tabindex="0"' in svg  # the keyboard reaches every node too


def test_the_story_card_offers_the_diagram_and_the_list(client, trainer):
    page = client.get("/scenarios/sunnyfoods-recall/edit").get_data(as_text=True)
    assert 'id="story-as-diagram" value="diagram" checked' in page
    assert 'id="story-as-list" value="list"' in page
    story_part = page[page.index('<div id="story"'):]
    assert '<svg class="diagram"' in story_part and 'class="story-list"' in story_part


def test_a_generated_name_shows_as_the_feed_shows_it():
    text = RECALL.replace("    name: Maria Kowalski", "    name: {fake: name}", 1)
    nodes = by_ref(drawn(text))
    assert "fake" not in nodes["first_post"].lines[1]
    assert nodes["first_post"].step.who != "Maria Kowalski"
