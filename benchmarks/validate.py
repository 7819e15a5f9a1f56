"""Validate 200 generated scenario files and print files per second (target: >= 200/s, one core).

    .venv/bin/python benchmarks/validate.py [--files 200] [--rounds 5]

Each generated scenario is about the size of the shipped ones (~200 lines): 4 personas
(one Faker-generated), 2 experts,
4-7 timeline events with expectations, model answers and branches, 3 scenes, noise and a test.
Every round validates the whole folder in one `validate_paths` call, as `sandbox validate` does.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sandbox.core.scenario import validate_paths  # noqa: E402

HEADER = """\
# yaml-language-server: $schema=schema/scenario.schema.json
format: 1
id: bench-{n}
title: Generated scenario {n}
summary: A generated scenario for the validation benchmark.
language: en
difficulty: intermediate
duration: 45m
seed: {n}
platform: {{network: twitter, brand: SunnyFoods, handle: SunnyFoods}}
guidelines: sunnyfoods
briefing: |
  You are on the SunnyFoods customer-care rota. Batch 22B was recalled this morning.
facts:
  - Batch 22B of honey granola is recalled since this morning.
  - Customers get a full refund or a replacement, no receipt needed.
personas:
  maria: {{name: Maria Kowalski, handle: maria_{n}, followers: 1240}}
  tom: {{name: {{fake: name}}, handle: tom_{n}, location: {{fake: city}}}}
  eco_watch: {{name: Eco Watch UK, handle: ecowatch_{n}, followers: 88000, verified: true}}
  crowd: {{count: 25, locale: en_GB}}
experts:
  quality_team: {{name: Quality & Safety desk}}
  legal: {{name: Legal}}
timeline:
"""
EVENT = """\
  - id: post_{i}
    at: {at}
    kind: {kind}
    from: {who}
    topic: {topic}
    text: |
      {text}
    virality: {virality}
    expect:
      reply_within: 10m
      actions: [reply, escalate]
      escalate_to: quality_team
      must_mention:
        - [sorry, apologise, apologize]
        - batch 22B
      must_not_say: [our fault, calm down]
      pass_score: 60
      model_answer: |
        Hi, we're so sorry about this. Batch 22B is part of this morning's recall - please DM us
        so we can arrange a refund or a replacement today.
    branches:
      - when: {{no_reply_within: 10m}}
        goto: pile_on
      - when: {{reply_score_below: 40}}
        goto: pile_on
      - when: {{action: escalate}}
        goto: quality_answers
"""
FOOTER = """\
scenes:
  pile_on:
    - {after: 0s, kind: comment, reply_to: post_0, from: eco_watch, topic: health_safety,
       text: "Still silence from @SunnyFoods. Parents deserve answers."}
    - after: 2m
      kind: comment
      reply_to: post_0
      from: tom
      text: Same here, my kids ate it all week.
  quality_answers:
    - after: 3m
      kind: internal
      from: quality_team
      text: Confirmed, 22B is in the recall. Refund or replacement, no receipt needed.
      branches:
        - when: {action: escalate}
          goto: legal_note
  legal_note:
    - {after: 1m, kind: internal, from: legal, text: Do not speculate about the cause in public.}
noise:
  from: crowd
  every: 20s-90s
  topics: [praise, delivery]
  texts: ["Just tried the new oat bars - obsessed", "Order still not here, day 5 :("]
tests:
  - name: a silent trainee gets a pile-on
    actions: []
    expect_events: [post_0, pile_on.0]
"""
TEXTS = [
    "My 4yo was sick all night after @SunnyFoods honey granola. Batch 22B - recalled?",
    "Is the honey granola safe? I bought batch 22B on Monday #SunnyFoods",
    "@SunnyFoods why is nobody answering about the recall?",
    "Bought three boxes of batch 22B. Do I need the receipt for a refund?",
]


def generate(folder: Path, count: int) -> None:
    rng = random.Random(42)
    for n in range(count):
        events = []
        for i in range(rng.randint(4, 7)):
            events.append(
                EVENT.format(
                    i=i,
                    at=f"{1 + i * 2}m{rng.randint(0, 59)}s",
                    kind=rng.choice(["post", "mention"]),
                    who=rng.choice(["maria", "tom"]),
                    topic=rng.choice(["health_safety", "product"]),
                    text="@SunnyFoods " + rng.choice(TEXTS),
                    virality=rng.choice(["low", "high"]),
                )
            )
        (folder / f"bench-{n:03}.yaml").write_text(HEADER.format(n=n) + "".join(events) + FOOTER)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.files)
        lines = sum(len(p.read_text().splitlines()) for p in folder.glob("*.yaml"))
        rates, cpu_rates = [], []
        for _ in range(args.rounds):
            start, cpu_start = time.perf_counter(), time.process_time()
            report = validate_paths([folder])
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            if report.errors or report.warnings:
                raise SystemExit(f"generated files should be valid: {report.diagnostics[:3]}")
            rates.append(len(report.files) / elapsed)
            cpu_rates.append(len(report.files) / cpu)
    print(
        f"validated {args.files} files ({lines // args.files} lines each on average), "
        f"{args.rounds} rounds, one process"
    )
    print(f"first round (cold caches): {rates[0]:.0f} files/s")
    print(
        f"wall clock: median {statistics.median(rates):.0f}, best {max(rates):.0f} files/s "
        "(target: 200 files/s on one core)"
    )
    # CPU time is what one core spends; on a busy machine the wall clock is slower.
    print(f"CPU time: median {statistics.median(cpu_rates):.0f}, best {max(cpu_rates):.0f} files/s")


if __name__ == "__main__":
    main()
