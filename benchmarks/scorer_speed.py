"""Scorer speed on one core: replies per second and latency, on every path that grades a reply.

    .venv/bin/python benchmarks/scorer_speed.py [--replies 4000]

Every reply goes through `sandbox.core.grading`, the one path the web app and the command line
take, on shipped scenarios (scenarios/*.yaml):

- single replies: `score_event_reply` on the recall post (English) and the rash post (French),
  one at a time, with their latency;
- batch: the same, each reply checked against the 3 replies before it in its own run;
- `sandbox score --batch`: JSON lines in, JSON out, through the command's `Grader`;
- `sandbox score --batch --jobs 0`: the same lines in one process per core (wall clock: the
  only figure here that uses more than one core);
- web: `grade_action` for every action of a trainee's run of the outage crisis (seven events,
  replies, a DM and escalations), each graded with the run's history so far, as the practice
  page grades each reply when it is sent.

Rates and latencies are in CPU time of this process (one core), so a busy machine does not
skew them; wall-clock figures are printed beside them (on a loaded machine the wall-clock p99
measures the other processes as much as the scorer). Replies are generated deterministically from
fragments of real-looking replies (some with figures, forbidden phrases, harms, personal data,
emoji), each unique so no cache answers for the scorer; the scenarios and guidelines repeat, as
they do in a run, so their compiled rules are reused.
Targets: >= 3,000 replies/s in batch; single-reply p99 <= 5 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path

from sandbox.cli.score import Grader, batch_results, load_scenario
from sandbox.core.grading import grade_action, score_event_reply
from sandbox.core.replay import TraineeAction
from sandbox.core.scoring import EarlierReply

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
BATCH_TARGET, P99_TARGET_MS = 3000, 5.0

EN = {
    "scenario": "sunnyfoods-recall.yaml", "event": "first_post", "also": ("escalate",),
    "open": ["Hi Maria,", "Hello @maria_k,", "Maria,", "", "Hi,", "Dear Maria,"],
    "middle": ["we're so sorry she's unwell.", "sorry to hear that.", "please calm down.",
               "batch 22B is part of this morning's recall.", "this is not our fault.",
               "we take safety very seriously at SunnyFoods.", "that must have been frightening.",
               "reply here with your email address.", "DM us your order number.",
               "you'll get a full refund within 5 working days.", "we'll send a £50 voucher!!",
               "our award-winning granola is made with love 😊", "we'll look into it.",
               "could you tell us where you bought it?", "your safety is our priority.",
               "it was probably caused by something else.", "22B is perfectly safe.",
               "please bring your receipt to the store."],
    "close": ["\n- Sam", "", "Thanks!", "\n- Alex", "Take care."],
}
FR = {
    "scenario": "verveline-rougeurs.yaml", "event": "rougeurs", "also": ("escalate",),
    "open": ["Bonjour Camille,", "Bonjour @camille.roux,", "Camille,", "", "Bonsoir,"],
    "middle": ["nous sommes vraiment désolés pour ces rougeurs.", "calmez-vous.",
               "pourriez-vous arrêter la crème ?", "demandez l'avis d'un médecin.",
               "ce n'est pas notre faute.", "écrivez-nous en message privé.",
               "donnez-nous votre adresse e-mail ici.", "remboursement sous 48 heures !",
               "nous allons regarder.", "votre santé passe avant tout.",
               "notre équipe Qualité vous rappellera sous 24 h.", "c'est sans danger.",
               "la crème contient du linalol.", "sans commentaire."],
    "close": ["", " Merci.", " Belle journée.", " - Léa"],
}
POOLS = {"en": EN, "fr": FR}
# A trainee's run of the outage crisis: (at, action, event, to), each text generated.
WEB_RUN = (
    (110, "escalate", "no_signal", "network_ops"), (130, "reply", "no_signal", None),
    (330, "reply", "status_question", None), (640, "reply", "hack_rumour", None),
    (880, "reply", "journalist", None), (900, "escalate", "journalist", "press_office"),
    (1360, "reply", "compensation", None), (2310, "reply", "back_online", None),
)
WEB_FRAGMENTS = [
    "we're so sorry about the outage.", "engineers expect to restore service by 18:00.",
    "calls to 999 still connect through other networks.", "there's no sign of a hack.",
    "security checks found no sign that any customer data was accessed.",
    "one day's line rental is credited automatically.", "please DM us your account number.",
    "the press office will answer you today.", "it's probably a hacker.", "we'll look into it.",
    "you'll get £20 back by Friday.", "thanks for your patience!", "service is back now.",
    "have you tried restarting your phone?", "this is not our fault.",
]


def generate(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """`count` unique (language, reply) pairs, two English for one French."""
    rng = random.Random(seed)
    replies = []
    for index in range(count):
        lang = "fr" if index % 3 == 2 else "en"
        pool = POOLS[lang]
        parts = [rng.choice(pool["open"])] + rng.sample(pool["middle"], rng.randint(1, 4))
        parts.append(rng.choice(pool["close"]))
        replies.append((lang, " ".join(p for p in parts if p) + f" #{index}"))
    return replies


def _scenarios() -> dict[str, tuple]:
    return {lang: load_scenario(SCENARIOS / pool["scenario"]) for lang, pool in POOLS.items()}


def score_one(scenarios, lang: str, reply: str, earlier: list[str]):
    scenario, guidelines = scenarios[lang]
    pool = POOLS[lang]
    return score_event_reply(
        scenario=scenario, guidelines=guidelines, event_id=pool["event"], reply=reply,
        after_s=240, also=pool["also"],
        earlier=[EarlierReply(text, pool["event"]) for text in earlier])


def _percentiles(latencies: list[float]) -> tuple[float, float, float]:
    ordered = sorted(latencies)
    return (ordered[len(ordered) // 2] * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000,
            ordered[-1] * 1000)


def _latency(cpu: list[float], wall: list[float]) -> str:
    p50, p99, worst = _percentiles(cpu)
    wall50, wall99, _worst = _percentiles(wall)
    return (f"latency p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {worst:.2f} ms of CPU "
            f"(wall p50 {wall50:.2f} ms, p99 {wall99:.2f} ms)")


def bench_single(scenarios, count: int) -> list[tuple[str, str]]:
    replies = generate(count)
    cpu_latencies, wall_latencies = [], []
    for lang, reply in replies:
        start, cpu_start = time.perf_counter(), time.thread_time()
        score_one(scenarios, lang, reply, [])
        cpu_latencies.append(time.thread_time() - cpu_start)
        wall_latencies.append(time.perf_counter() - start)
    cpu = sum(cpu_latencies)
    print(f"single replies: {count}, {count / cpu:,.0f} replies/s of CPU "
          f"({count / sum(wall_latencies):,.0f}/s wall); "
          f"{_latency(cpu_latencies, wall_latencies)} (target p99 <= {P99_TARGET_MS:g} ms)")
    return replies


def bench_batch(scenarios, count: int) -> None:
    # a run is one scenario in one language: each reply is checked against the 3 replies
    # before it in its own run (an English run never holds French replies)
    batch = generate(count, seed=11)
    earlier: dict[str, list[str]] = {"en": [], "fr": []}
    wall, cpu_start = time.perf_counter(), time.process_time()
    for lang, reply in batch:
        score_one(scenarios, lang, reply, earlier[lang][-3:])
        earlier[lang].append(reply)
    cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall
    print(f"batch, each reply checked against 3 earlier ones: {count} replies, "
          f"{count / cpu:,.0f} replies/s of CPU ({count / wall:,.0f}/s wall) "
          f"(target >= {BATCH_TARGET:,}/s)")


def bench_cli(count: int) -> None:
    lines = [json.dumps({"scenario": str(SCENARIOS / POOLS[lang]["scenario"]),
                         "event": POOLS[lang]["event"], "reply": reply, "after": "4m",
                         "also": list(POOLS[lang]["also"])}, ensure_ascii=False)
             for lang, reply in generate(count, seed=13)]
    grader = Grader()
    grader.score(json.loads(lines[0]))  # the scenario files are read once per batch
    wall, cpu_start = time.perf_counter(), time.process_time()
    for line in lines:
        grader.score(json.loads(line)).to_json()  # what the command prints for a line
    cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall
    print(f"`sandbox score --batch` code path (JSON in, JSON out): {count} replies, "
          f"{count / cpu:,.0f} replies/s of CPU ({count / wall:,.0f}/s wall)")


def bench_cli_jobs(count: int) -> None:
    """`sandbox score --batch --jobs 0`: the batch's lines scored in one process per core, the
    results printed in order; wall clock, from starting the processes to the last result."""
    jobs = os.cpu_count() or 1
    lines = [(number, json.dumps({"scenario": str(SCENARIOS / POOLS[lang]["scenario"]),
                                  "event": POOLS[lang]["event"], "reply": reply, "after": "4m",
                                  "also": list(POOLS[lang]["also"])}, ensure_ascii=False), "json")
             for number, (lang, reply) in enumerate(generate(count * 2, seed=19), start=1)]
    wall = time.perf_counter()
    printed = sum(1 for _number, text, _failed in batch_results(iter(lines), jobs) if text)
    wall = time.perf_counter() - wall
    print(f"`sandbox score --batch --jobs 0` ({jobs} processes, one per core): {printed} "
          f"replies, {printed / wall:,.0f} replies/s wall")


def web_runs(count: int, seed: int = 17) -> list[list[TraineeAction]]:
    """`count` runs of the outage crisis, each action with a unique generated text."""
    rng = random.Random(seed)
    runs = []
    for index in range(count):
        actions = []
        for at, action, event, to in WEB_RUN:
            words = " ".join(rng.sample(WEB_FRAGMENTS, rng.randint(1, 4)))
            text = (f"Customer on {event} needs you, run {index}." if action == "escalate"
                    else f"Hi, {words} - Sam #{index}")
            actions.append(TraineeAction(at=at, action=action, event=event, text=text, to=to))
        runs.append(actions)
    return runs


def bench_web(count: int) -> None:
    scenario, guidelines = load_scenario(SCENARIOS / "tandemy-outage-crisis.yaml")
    runs = web_runs(max(1, count // len(WEB_RUN)))
    for actions in web_runs(3, seed=1):  # compile the scenario once
        for position, action in enumerate(actions):
            grade_action(scenario, guidelines, earlier=actions[:position], action=action)
    cpu_latencies, wall_latencies = [], []
    for actions in runs:
        for position, action in enumerate(actions):
            start, cpu_start = time.perf_counter(), time.thread_time()
            grade_action(scenario, guidelines, earlier=actions[:position], action=action)
            cpu_latencies.append(time.thread_time() - cpu_start)
            wall_latencies.append(time.perf_counter() - start)
    count = len(cpu_latencies)
    print(f"web path (grade_action with the run so far, {len(WEB_RUN)} actions a run): "
          f"{count} actions, {count / sum(cpu_latencies):,.0f}/s of CPU; "
          f"{_latency(cpu_latencies, wall_latencies)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=4000)
    args = parser.parse_args()
    scenarios = _scenarios()
    for lang, reply in generate(50, seed=1):  # load lexicons, VADER, the syllable dictionary
        score_one(scenarios, lang, reply, [])
    replies = bench_single(scenarios, args.replies)
    bench_batch(scenarios, args.replies)
    bench_cli(args.replies)
    bench_cli_jobs(args.replies)
    bench_web(args.replies // 2)
    overall = [score_one(scenarios, lang, reply, []).overall for lang, reply in replies[:500]]
    verdicts = [score_one(scenarios, lang, reply, []).verdict for lang, reply in replies[:500]]
    print(f"sanity: overall scores of generated replies range {min(overall)}-{max(overall)}, "
          f"mean {statistics.mean(overall):.0f}; verdicts "
          + ", ".join(f"{v} {verdicts.count(v)}" for v in ("pass", "coach", "fail")))


if __name__ == "__main__":
    main()
