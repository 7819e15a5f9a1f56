"""The editor's story view: the scenario as a story — its timeline in order, what each event
expects, and under each branch the condition that fires it and the scene it leads to — built
from the parsed text, each step pointing at its line so a click goes there.

Conditions are read from the branch's `when` as written (every key it sets), so a new kind of
condition shows without a change here.
"""

from dataclasses import dataclass, field

from sandbox.core.replay import compile_scenario
from sandbox.core.scenario import Scenario, format_duration
from sandbox.core.scenario.yamlsource import parse_yaml


@dataclass
class Step:
    ref: str  # first_post, or pile_on.0 for a scene event
    when: str  # "0:30", or "+3m" after the branch
    kind: str
    who: str
    topic: str | None
    text: str
    line: int
    expects: str | None
    forks: list["Fork"] = field(default_factory=list)
    at: int = 0  # `at` of a timeline event, `after` of a scene event (seconds)
    scene: str | None = None  # the scene a scene event belongs to


@dataclass
class Fork:
    condition: str
    goto: str
    line: int
    steps: list[Step] | None  # None: the scene is told earlier, or the scenario ends
    told_earlier: bool = False
    when: object = None  # the branch's condition as parsed (sandbox.core.scenario.When)


@dataclass
class Story:
    steps: list[Step]
    unreached: list[str]  # scenes no branch leads to
    noise: str | None
    events: int  # every event told (timeline and scenes)
    forks: int  # every branch told
    scenes: dict[str, list[Step]] = field(default_factory=dict)  # every scene, unreached too
    duration: int = 0


def _clock(seconds: int) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 60}:{seconds % 60:02d}"


def _condition(when) -> str:
    said = []
    for name, value in when.model_dump(exclude_none=True, by_alias=True).items():
        if value is True:  # reply_passes: true
            said.append(name.replace("_", " "))
            continue
        if name.endswith("_within") and isinstance(value, int):
            value = format_duration(value)
        elif isinstance(value, list):
            value = " / ".join(v if isinstance(v, str) else " or ".join(v) for v in value)
        said.append(f"{name.replace('_', ' ')} {value}")
    return " and ".join(said) or "always"


def _expects(expect) -> str | None:
    if expect is None:
        return None
    parts = []
    if expect.reply_within is not None:
        parts.append(f"answer within {format_duration(expect.reply_within)}")
    if expect.actions:
        parts.append(", ".join(expect.actions))
    if getattr(expect, "escalate_to", None):
        parts.append(f"escalate to {expect.escalate_to}")
    return "; ".join(parts) or None


def build(scenario: Scenario, text: str) -> Story:
    document, _ = parse_yaml(text, "<story>")

    def line(*path) -> int:
        return document.key_at(path)[0] if document is not None else 1

    # as the feed shows them: a name Faker generates ({fake: name}) is the generated one
    names = {key: view.name for key, view in compile_scenario(scenario).personas.items()}
    counts = {"events": 0, "forks": 0}

    def step(event, ref: str, when: str, path: tuple, at: int, scene: str | None = None) -> Step:
        counts["events"] += 1
        name = names.get(event.from_, event.from_)
        told = Step(ref, when, event.kind, str(name), event.topic, event.text.strip(),
                    line(*path), _expects(event.expect), at=at, scene=scene)
        for index, branch in enumerate(event.branches):
            counts["forks"] += 1
            told.forks.append(Fork(_condition(branch.when), branch.goto,
                                   line(*path, "branches", index), None, when=branch.when))
        return told

    timeline = sorted(((i, e) for i, e in enumerate(scenario.timeline) if e is not None),
                      key=lambda pair: pair[1].at)
    steps = [step(event, event.id or f"timeline {index + 1}", _clock(event.at),
                  ("timeline", index), event.at) for index, event in timeline]
    scenes = {name: [step(event, f"{name}.{index}", f"+{format_duration(event.after)}",
                          ("scenes", name, index), event.after, name)
                     for index, event in enumerate(events) if event is not None]
              for name, events in scenario.scenes.items()}
    told: set[str] = set()

    def tell(steps: list[Step]) -> None:
        """Each scene under the first branch that leads to it, in the order of the story."""
        for told_step in steps:
            for fork in told_step.forks:
                if fork.goto in told:
                    fork.told_earlier = True
                elif fork.goto in scenes:
                    told.add(fork.goto)
                    fork.steps = scenes[fork.goto]
                    tell(fork.steps)

    tell(steps)
    noise = None
    if scenario.noise is not None:
        noise = (f"Chatter from {scenario.noise.from_} every "
                 f"{format_duration(scenario.noise.every.min_s)}–"
                 f"{format_duration(scenario.noise.every.max_s)} (never scored)")
    unreached = [name for name in scenario.scenes if name not in told]
    return Story(steps, unreached, noise, counts["events"], counts["forks"], scenes,
                 scenario.duration)
