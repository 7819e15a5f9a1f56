"""Generated people, avatars and chatter: the same seed and scenario id give the same crowd."""

import subprocess
import sys

from sandbox.core.fakes import avatar_svg, chatter, initials, resolve_personas
from tests.unit.replay.conftest import RECALL, scenario_from_yaml

GENERATED = RECALL.replace(
    "maria: {name: Maria Kowalski, handle: maria_k, followers: 1240}",
    "maria: {name: {fake: name}, handle: {fake: user_name}, location: {fake: city}, "
    "locale: fr_FR}")


def test_generated_persona_values_are_the_same_for_the_same_seed():
    first = resolve_personas(scenario_from_yaml(GENERATED))["maria"]
    again = resolve_personas(scenario_from_yaml(GENERATED))["maria"]
    assert first == again
    assert first.name and first.location and first.handle


def test_a_different_seed_gives_different_people():
    other = GENERATED.replace("seed: 42", "seed: 43")
    first = resolve_personas(scenario_from_yaml(GENERATED))
    second = resolve_personas(scenario_from_yaml(other))
    assert first["maria"].name != second["maria"].name
    assert [first[f"crowd.{n}"].name for n in range(10)] != [
        second[f"crowd.{n}"].name for n in range(10)]


def test_a_crowd_is_a_pool_of_distinct_generated_accounts():
    people = resolve_personas(scenario_from_yaml(RECALL))
    crowd = [people[f"crowd.{n}"] for n in range(10)]
    assert "crowd.10" not in people
    assert len({person.handle.lower() for person in crowd}) == 10
    assert all(person.kind == "crowd" and person.followers >= 10 for person in crowd)


def test_the_brand_and_the_experts_are_accounts_too():
    people = resolve_personas(scenario_from_yaml(RECALL))
    assert (people["trainee"].name, people["trainee"].handle) == ("SunnyFoods", "SunnyFoods")
    assert people["quality_team"].kind == "expert"


def test_an_avatar_is_an_svg_with_the_initials_and_a_seeded_colour():
    svg = avatar_svg("Maria Kowalski", seed=42, scenario_id="recall", key="maria")
    assert svg.startswith("<svg") and ">MK</text>" in svg and "http" not in svg.split("xmlns")[0]
    assert svg == avatar_svg("Maria Kowalski", seed=42, scenario_id="recall", key="maria")
    assert svg != avatar_svg("Maria Kowalski", seed=7, scenario_id="recall", key="maria")


def test_avatar_text_is_escaped():
    svg = avatar_svg('<b>"Evil" & Co</b>', seed=1, scenario_id="x", key="evil")
    assert "<b>" not in svg and "&quot;Evil&quot;" in svg


def test_initials_come_from_the_first_and_last_words():
    assert initials("Eco Watch UK") == "EU"
    assert initials("maria_k") == "MK"
    assert initials("Zoé") == "ZO"
    assert initials("") == "?"


def test_chatter_is_the_same_for_the_same_seed_and_spread_over_the_run():
    scenario = scenario_from_yaml(RECALL)
    authors = [f"crowd.{n}" for n in range(10)]
    items = chatter(scenario, authors)
    assert items == chatter(scenario_from_yaml(RECALL), authors)
    assert all(0 < item.at <= scenario.duration for item in items)
    gaps = [b.at - a.at for a, b in zip(items, items[1:], strict=False)]
    assert min(gaps) >= 20 and max(gaps) <= 90
    assert {item.topic for item in items} <= {"praise", "delivery"}
    assert any("oat bars" in item.text for item in items)


def test_importing_the_fakes_builds_no_faker():
    code = ("import sandbox.core.fakes as f, sandbox.core.replay; "
            "import sys; print(f._faker.cache_info().currsize, 'faker.proxy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["0", "False"]
