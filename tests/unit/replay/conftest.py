"""Scenarios for replay tests, written as small YAML strings like a trainer would write them."""

from __future__ import annotations

import io
import textwrap

import pytest
from ruamel.yaml import YAML

from sandbox.core.replay import TraineeAction
from sandbox.core.scenario.models import Scenario

RECALL = """
format: 1
id: test-recall
title: A worried parent
language: en
duration: 30m
seed: 42
platform: {network: twitter, brand: SunnyFoods, handle: SunnyFoods}
guidelines: sunnyfoods
personas:
  maria: {name: Maria Kowalski, handle: maria_k, followers: 1240}
  eco_watch: {name: Eco Watch UK, handle: EcoWatchUK, followers: 88000, verified: true}
  crowd: {count: 10, locale: en_GB}
experts:
  quality_team: {name: Quality & Safety desk}
timeline:
  - id: old_praise
    at: -1h
    kind: post
    from: eco_watch
    text: Nice to see brands trying.
  - id: first_post
    at: 30s
    kind: post
    from: maria
    topic: health_safety
    text: Batch 22B - is this the recalled one??
    virality: high
    expect: {reply_within: 10m, actions: [reply, escalate], escalate_to: quality_team}
    branches:
      - when: {no_reply_within: 10m}
        goto: pile_on
      - when: {reply_score_below: 40}
        goto: pile_on
      - when: {action: escalate}
        goto: quality_answers
  - id: follow_up
    at: 5m
    kind: comment
    reply_to: first_post
    from: maria
    text: Anyone?
scenes:
  pile_on:
    - {after: 0s, kind: comment, reply_to: first_post, from: eco_watch,
       text: "Still silence. Parents deserve answers."}
  quality_answers:
    - after: 3m
      kind: internal
      from: quality_team
      text: Confirmed, 22B is in the recall.
noise:
  from: crowd
  every: 20s-90s
  topics: [praise, delivery]
  texts: ["Just tried the new oat bars - obsessed", "Order still not here, day 5 :("]
"""


def scenario_from_yaml(text: str) -> Scenario:
    data = YAML(typ="safe", pure=True).load(io.StringIO(textwrap.dedent(text)))
    return Scenario.model_validate(data)


@pytest.fixture(scope="session")
def recall() -> Scenario:
    return scenario_from_yaml(RECALL)


def reply(at: int, event: str = "first_post", *, score: int | None = None,
          text: str = "Hi, so sorry - please DM us.") -> TraineeAction:
    return TraineeAction(at=at, action="reply", event=event, text=text, score=score)


BASE = """
format: 1
id: {id}
title: A test scenario
language: en
duration: {duration}
seed: {seed}
platform: {{network: twitter, brand: SunnyFoods, handle: SunnyFoods}}
guidelines: sunnyfoods
personas:
  maria: {{name: Maria Kowalski, handle: maria_k, followers: 1240}}
  eco_watch: {{name: Eco Watch UK, handle: EcoWatchUK, followers: 88000}}
experts:
  quality_team: {{name: Quality desk}}
  legal: {{name: Legal}}
"""


def make_scenario(timeline: str, scenes: str = "", *, duration: str = "30m", seed: int = 1,
                  scenario_id: str = "branching") -> Scenario:
    """A scenario with two personas and two experts around the given timeline and scenes."""
    text = BASE.format(id=scenario_id, duration=duration, seed=seed)
    text += "timeline:\n" + textwrap.indent(textwrap.dedent(timeline).strip("\n"), "  ") + "\n"
    if scenes.strip():
        text += "scenes:\n" + textwrap.indent(textwrap.dedent(scenes).strip("\n"), "  ") + "\n"
    return scenario_from_yaml(text)


def act(at: int, action: str, event: str = "first_post", **fields) -> TraineeAction:
    return TraineeAction(at=at, action=action, event=event, **fields)
