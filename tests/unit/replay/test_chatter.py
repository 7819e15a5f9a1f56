"""Background chatter: large pools per language, topic and sector, no line twice in a run, the
same chatter for the same seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.core.chatter_pools import GENERAL, KEYWORDS, SECTORS, TEMPLATES, TOPICS
from sandbox.core.fakes import chatter, chatter_key, chatter_sectors
from sandbox.core.replay import compile_scenario
from sandbox.core.scenario import load_scenario
from tests.unit.replay.conftest import RECALL, scenario_from_yaml

SCENARIOS = sorted((Path(__file__).resolve().parents[3] / "scenarios").glob("*.yaml"))


def _shipped(path):
    return load_scenario(path).scenario


def _chatter_texts(scenario) -> list[str]:
    return [item["text"] for item in compile_scenario(scenario).chatter.values()]


def test_each_language_has_at_least_forty_general_lines_and_a_pool_per_topic():
    for language in ("en", "fr"):
        assert len(GENERAL[language]) >= 40
        assert {"praise", "delivery", "product", "pricing", "service", "eco", "ethics",
                "privacy", "other"} <= set(TOPICS[language])
        assert len(TEMPLATES[language]) >= 10
    assert {"food", "telecom", "outage", "trains", "cosmetics"} <= set(SECTORS) == set(KEYWORDS)


def test_no_two_pool_lines_read_the_same():
    lines = [line for pools in (GENERAL, *(TOPICS[lang] for lang in TOPICS))
             for group in (pools.values() if isinstance(pools, dict) else [pools])
             for line in group]
    lines += [line for sector in SECTORS.values() for language in sector.values()
              for group in language.values() for line in group]
    keys = [chatter_key(line) for line in lines]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("path", "sectors"), [
    ("sunnyfoods-recall", ["food"]), ("tandemy-double-charge", ["telecom"]),
    ("tandemy-outage-crisis", ["telecom", "outage"]), ("valemont-cancelled-train", ["trains"]),
    ("verveline-erreur-prix", ["cosmetics"]), ("verveline-rougeurs", ["cosmetics"])])
def test_a_scenario_is_recognised_as_its_brands_sector(path, sectors):
    scenario = _shipped(Path(__file__).resolve().parents[3] / "scenarios" / f"{path}.yaml")
    assert chatter_sectors(scenario) == sectors


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_no_chatter_line_repeats_within_a_run_and_the_same_seed_gives_the_same_chatter(path):
    scenario = _shipped(path)
    texts = _chatter_texts(scenario)
    assert texts, "the scenario has chatter"
    keys = [chatter_key(text) for text in texts]
    assert len(set(texts)) == len(texts)
    assert len(set(keys)) == len(keys), "a line reads the same as another once tags are removed"
    again = _shipped(path)
    assert again is not scenario and _chatter_texts(again) == texts


def test_a_different_seed_gives_different_chatter():
    scenario = scenario_from_yaml(RECALL)
    other = scenario_from_yaml(RECALL.replace("seed: 42", "seed: 43"))
    authors = [f"crowd.{n}" for n in range(10)]
    assert [i.text for i in chatter(scenario, authors)] != [i.text for i in chatter(other, authors)]


def test_chatter_draws_on_the_scenarios_own_lines_its_sector_and_anyones():
    scenario = _shipped(Path(SCENARIOS[0]).parent / "tandemy-outage-crisis.yaml")
    texts = " ".join(_chatter_texts(scenario))
    own = [line for line in scenario.noise.texts if chatter_key(line) in chatter_key(texts)]
    outage = [line for group in SECTORS["outage"]["en"].values() for line in group
              if chatter_key(line) in chatter_key(texts)]
    general = [line for line in GENERAL["en"] if chatter_key(line) in chatter_key(texts)]
    assert own and outage and general


def test_when_every_pool_is_used_up_new_lines_are_made_and_still_none_repeats():
    long_run = RECALL.replace("duration: 30m", "duration: 3h").replace("every: 20s-90s",
                                                                       "every: 5s-10s")
    scenario = scenario_from_yaml(long_run)
    items = chatter(scenario, [f"crowd.{n}" for n in range(25)])
    assert len(items) > 1000
    keys = [chatter_key(item.text) for item in items]
    assert len(set(keys)) == len(keys)
    assert items == chatter(scenario_from_yaml(long_run), [f"crowd.{n}" for n in range(25)])


def test_only_lines_about_the_brands_world_tag_the_brand():
    scenario = _shipped(Path(SCENARIOS[0]).parent / "tandemy-outage-crisis.yaml")
    general = {chatter_key(line) for line in GENERAL["en"]}
    tagged = [text for text in _chatter_texts(scenario)
              if "@TandemyMobile" in text or "#TandemyMobile" in text]
    assert tagged and not [text for text in tagged if chatter_key(text) in general]


def test_on_a_facebook_page_nobody_tags_the_page_with_an_at_sign():
    scenario = _shipped(Path(SCENARIOS[0]).parent / "verveline-mica-crise.yaml")
    assert scenario.platform.network == "facebook"
    assert not [text for text in _chatter_texts(scenario) if "@" in text]
