"""How fast the replay computes a feed (DESIGN.md section 5; target: at most 2 ms).

    .venv/bin/python benchmarks/replay.py [--repeat 200]

Builds a 60-minute scenario with 500 events (posts, comments, DMs, branching events and their
scenes) plus background chatter, plays 100 trainee actions, and prints the median time of one
`feed_at` call (wall clock, best, and CPU time of this process, which other processes on a
shared machine disturb less); what one live-page poll costs as two feeds or one
`changes_between`; then how the time grows from 50 to 5,000 events, with and without Python's
garbage collector (whose full collections grow with everything the process holds, not with the
feed).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time

from sandbox.core.replay import TraineeAction, changes_between, compile_scenario, feed_at
from sandbox.core.scenario import Scenario

DURATION = 3600


def build_scenario(events: int, *, seed: int = 7) -> Scenario:
    rng = random.Random(seed)
    timeline, scenes, posts = [], {}, []
    for index in range(events):
        at = rng.randint(-600, DURATION - 60)
        event = {"id": f"e{index}", "at": f"{at}s" if at >= 0 else f"-{-at}s",
                 "from": rng.choice(["maria", "eco_watch", "sam"]), "text": f"Message {index}",
                 "virality": rng.choice(["low", "medium", "high"])}
        roll = rng.random()
        if posts and roll < 0.35:
            event.update(kind="comment", reply_to=rng.choice(posts))
        elif roll < 0.45:
            event.update(kind="dm")
        else:
            event.update(kind=rng.choice(["post", "mention"]))
            posts.append(event["id"])
        if index % 10 == 0:  # one event in ten expects an answer and branches
            scene = f"scene{index}"
            scenes[scene] = [{"after": "0s", "kind": "comment", "reply_to": event["id"],
                              "from": "eco_watch", "text": "Still nothing?"},
                             {"after": "2m", "kind": "internal", "from": "quality_team",
                              "text": "We are looking at it."}]
            event["expect"] = {"reply_within": "10m", "actions": ["reply"]}
            event["branches"] = [{"when": {"no_reply_within": "10m"}, "goto": scene},
                                 {"when": {"reply_score_below": 40}, "goto": scene},
                                 {"when": {"action": "escalate"}, "goto": "end"}]
        timeline.append(event)
    return Scenario.model_validate({
        "format": 1, "id": f"bench-{events}", "title": "Benchmark", "language": "en",
        "duration": "1h", "seed": seed, "guidelines": "sunnyfoods",
        "platform": {"network": "twitter", "brand": "SunnyFoods", "handle": "SunnyFoods"},
        "personas": {"maria": {"name": "Maria Kowalski", "handle": "maria_k", "followers": 1240},
                     "eco_watch": {"name": "Eco Watch", "handle": "eco", "followers": 88000},
                     "sam": {"name": {"fake": "name"}, "handle": {"fake": "user_name"}},
                     "crowd": {"count": 40, "locale": "en_GB"}},
        "experts": {"quality_team": {"name": "Quality desk"}},
        "timeline": timeline, "scenes": scenes,
        "noise": {"from": "crowd", "every": "20s-90s", "topics": ["praise", "delivery"],
                  "texts": ["Love it", "Where is my order?"]},
    })


def build_actions(scenario: Scenario, count: int, *, seed: int = 11) -> list[TraineeAction]:
    """`count` valid actions: replies and likes on public events after they appear."""
    rng = random.Random(seed)
    public = [event for event in scenario.timeline
              if event.kind in ("post", "mention") and event.at < DURATION - 120]
    actions = []
    for _ in range(count):
        event = rng.choice(public)
        at = rng.randint(max(0, event.at), DURATION - 60)
        if rng.random() < 0.7:
            actions.append(TraineeAction(at=at, action="reply", event=event.id,
                                         text="Hi, sorry about that.", score=rng.randint(20, 95)))
        else:
            actions.append(TraineeAction(at=at, action="like", event=event.id))
    return sorted(actions, key=lambda action: action.at)


def timings_ms(compute, *, repeat: int, moments: list[int], collect: bool = True
               ) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of `compute(at)` for each of `repeat` moments."""
    walls, cpus = [], []
    gc.collect()
    if not collect:
        gc.disable()
    try:
        for round_ in range(repeat):
            at = moments[round_ % len(moments)]
            wall, cpu = time.perf_counter(), time.process_time()
            compute(at)
            cpus.append((time.process_time() - cpu) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
    finally:
        gc.enable()
    return walls, cpus


def two_feeds(scenario: Scenario, actions: list[TraineeAction], at: int) -> None:
    """A live poll the way the page did it: the feed at the last update and now, compared."""
    before = {item["id"]: item for item in feed_at(scenario, at=at - 15, actions=actions).items}
    now = feed_at(scenario, at=at, actions=actions)
    for item in now.items:
        was = before.get(item["id"])
        if was is not None:
            was["engagement"] != item["engagement"]  # noqa: B015 - the comparison is the cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300, help="feed computations per figure")
    args = parser.parse_args()

    scenario = build_scenario(500)
    actions = build_actions(scenario, 100)
    start = time.perf_counter()
    compiled = compile_scenario(scenario)  # compiled once per scenario, as in the web app
    compile_ms = (time.perf_counter() - start) * 1000
    items = len(feed_at(scenario, at=DURATION, actions=actions).items)
    print(f"60-minute scenario, 500 events + {len(compiled.chatter)} chatter items, "
          f"100 actions ({items} items in the feed at the end)")
    print(f"  compile once (Faker, chatter, templates): {compile_ms:8.1f} ms")
    polls = list(range(0, DURATION + 1, 15))  # a live page polling through the run
    figures = (("polls spread over the run", polls), ("feed at 30m", [1800]),
               ("feed at 60m (every item)", [DURATION]))
    print(f"  {'':34} {'median ms':>10} {'best ms':>8} {'cpu ms':>8}   (target: median <= 2 ms)")

    def show(label: str, compute, moments: list[int]) -> None:
        walls, cpus = timings_ms(compute, repeat=args.repeat, moments=moments)
        print(f"  {label:34} {statistics.median(walls):10.3f} {min(walls):8.3f} "
              f"{statistics.median(cpus):8.3f}")

    for label, moments in figures:
        show(label, lambda at: feed_at(scenario, at=at, actions=actions), moments)
    print("  one live poll, 15 s after the last:")
    for minute in (30, 60):
        show(f"  two feeds compared, at {minute}m", lambda at: two_feeds(scenario, actions, at),
             [minute * 60])
        show(f"  changes_between, at {minute}m", lambda at: changes_between(
            scenario, since=at - 15, known_actions=len(actions), at=at, actions=actions),
            [minute * 60])

    print("\nGrowth (feed at 60m, actions = events / 5):")
    print(f"  {'events':>7} {'actions':>8} {'median ms':>10} {'best ms':>8} {'cpu ms':>8} "
          f"{'no-GC ms':>9} {'us/event':>9}")
    previous = None
    for size in (50, 500, 1000, 2000, 5000):
        scenario = build_scenario(size)
        actions = build_actions(scenario, max(10, size // 5))
        compile_scenario(scenario)
        repeat = max(15, args.repeat * 500 // max(size, 500))

        def compute(at: int, scenario: Scenario = scenario,
                    actions: list[TraineeAction] = actions) -> None:
            feed_at(scenario, at=at, actions=actions)

        walls, cpus = timings_ms(compute, repeat=repeat, moments=[DURATION])
        quiet, _ = timings_ms(compute, repeat=repeat, moments=[DURATION], collect=False)
        ms, best = statistics.median(walls), min(walls)
        ratio = ("" if previous is None
                 else f"   x{ms / previous[1]:.1f} for x{size / previous[0]:g}")
        print(f"  {size:>7} {len(actions):>8} {ms:>10.3f} {best:>8.3f} "
              f"{statistics.median(cpus):>8.3f} {statistics.median(quiet):>9.3f} "
              f"{ms * 1000 / size:>9.2f}{ratio}")
        previous = (size, ms)


if __name__ == "__main__":
    main()
