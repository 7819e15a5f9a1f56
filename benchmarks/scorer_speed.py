"""Scorer speed on one core: replies per second (single calls and a batch) and latency.

    .venv/bin/python benchmarks/scorer_speed.py [--replies 4000]

Rates are per second of CPU time of this process (one core), so a busy machine does not skew
them; wall-clock rates are printed beside them. Replies are generated deterministically
(English and French, from fragments of real-looking replies, some with figures, forbidden
phrases, personal data, emoji), each unique so no cache answers for the scorer; the
guidelines and expectations repeat, as they do in a run, so their compiled rules are reused.
In the batch each reply is checked against the 3 replies before it in its own language.
Targets: >= 2,000 replies/s in batch; single-reply p99 <= 5 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from sandbox.cli.score import Grader
from sandbox.core.scenario import Expect, load_guidelines
from sandbox.core.scoring import Scorer

ROOT = Path(__file__).resolve().parents[1]

EN = {
    "post": ("My 4yo was sick all night after @SunnyFoods honey granola. Batch 22B - is this the "
             "recalled one?? #recall"),
    "facts": ["Batch 22B of honey granola is recalled since this morning.",
              "Customers get a full refund or a replacement, no receipt needed."],
    "open": ["Hi Maria,", "Hello @maria_k,", "Maria,", "", "Hi,", "Dear Maria,"],
    "middle": ["we're so sorry she's unwell.", "sorry to hear that.", "please calm down.",
               "batch 22B is part of this morning's recall.", "this is not our fault.",
               "we take safety very seriously at SunnyFoods.", "that must have been frightening.",
               "reply here with your email address.", "DM us your order number.",
               "you'll get a full refund within 5 working days.", "we'll send a £50 voucher!!",
               "our award-winning granola is made with love 😊", "we'll look into it.",
               "could you tell us where you bought it?", "your safety is our priority.",
               "it was probably caused by something else."],
    "close": ["\n- Sam", "", "Thanks!", "\n- Alex", "Take care."],
}
FR = {
    "post": ("Rougeurs et brûlures après la crème Éclat de @MaisonLumiere, lot 4417. Quelqu'un "
             "d'autre ?? Je suis vraiment inquiète."),
    "facts": ["Le lot 4417 de la crème Éclat fait l'objet d'une vérification qualité.",
              "Les clientes concernées sont remboursées intégralement, sans ticket de caisse."],
    "open": ["Bonjour Camille,", "Bonjour @camille_d,", "Camille,", "", "Bonsoir,"],
    "middle": ["nous sommes vraiment désolés.", "nous comprenons votre inquiétude.",
               "calmez-vous.", "le lot 4417 est en cours de vérification.",
               "ce n'est pas notre faute.", "écrivez-nous en message privé.",
               "donnez-nous votre adresse e-mail ici.", "remboursement sous 48 heures !",
               "nous allons regarder.", "votre sécurité est notre priorité.",
               "pourriez-vous nous dire où vous l'avez achetée ?", "sans commentaire."],
    "close": ["", " Merci.", " Belle journée.", " - Léa"],
}


def generate(count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    replies = []
    for index in range(count):
        lang, pool = ("fr", FR) if index % 3 == 2 else ("en", EN)
        parts = [rng.choice(pool["open"])] + rng.sample(pool["middle"], rng.randint(1, 4))
        parts.append(rng.choice(pool["close"]))
        replies.append((lang, " ".join(p for p in parts if p) + f" #{index}"))
    return replies


def _scorers():
    sunnyfoods = load_guidelines(ROOT / "tests/data/scorer/guidelines/sunnyfoods.yaml").guidelines
    lumiere = load_guidelines(ROOT / "tests/data/scorer/guidelines/lumiere.yaml").guidelines
    expect_en = Expect.model_validate({
        "reply_within": "10m", "actions": ["reply", "escalate"], "escalate_to": "quality_team",
        "must_mention": [["sorry", "apologise"], "batch 22B"], "must_not_say": ["calm down"]})
    expect_fr = Expect.model_validate({
        "reply_within": "10m", "actions": ["reply", "escalate"], "escalate_to": "qualite",
        "must_mention": [["désolé", "excuses"], "lot 4417"], "must_not_say": ["calmez-vous"]})
    return {
        "en": (Scorer(sunnyfoods, facts=EN["facts"]), EN["post"], expect_en, "Maria Kowalski"),
        "fr": (Scorer(lumiere, facts=FR["facts"]), FR["post"], expect_fr, "Camille Durand"),
    }


def score_one(scorers, lang: str, reply: str, earlier: list[str]):
    scorer, post, expect, name = scorers[lang]
    return scorer.score(reply=reply, post=post, expect=expect, topic="health_safety",
                        delay_s=240, actions=("reply", "escalate"), customer_name=name,
                        escalated_to="quality_team" if lang == "en" else "qualite",
                        earlier_replies=earlier)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=4000)
    args = parser.parse_args()
    scorers = _scorers()
    warm = generate(50, seed=1)
    for lang, reply in warm:  # load lexicons, VADER, the syllable dictionary once
        score_one(scorers, lang, reply, [])

    replies = generate(args.replies)
    latencies = []
    cpu_start = time.process_time()
    for lang, reply in replies:
        start = time.perf_counter()
        score_one(scorers, lang, reply, [])
        latencies.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu_start
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"single calls: {len(replies)} replies, {len(replies) / cpu:,.0f} replies/s of CPU "
          f"({len(replies) / sum(latencies):,.0f}/s wall); latency p50 {p50:.2f} ms, "
          f"p99 {p99:.2f} ms, max {latencies[-1] * 1000:.2f} ms (target p99 <= 5 ms)")

    batch = generate(args.replies, seed=11)
    # a run is one scenario in one language: each reply is checked against the 3 replies
    # before it in its own language (an English run never holds French replies)
    earlier: dict[str, list[str]] = {"en": [], "fr": []}
    wall, cpu_start = time.perf_counter(), time.process_time()
    for lang, reply in batch:
        score_one(scorers, lang, reply, earlier[lang][-3:])
        earlier[lang].append(reply)
    cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall
    print(f"batch, each reply checked against 3 earlier ones: {len(batch)} replies, "
          f"{len(batch) / cpu:,.0f} replies/s of CPU ({len(batch) / wall:,.0f}/s wall) "
          "(target >= 2,000/s)")

    lines = [json.dumps({"post": EN["post"] if lang == "en" else FR["post"], "reply": reply,
                         "language": lang}) for lang, reply in generate(args.replies, seed=13)]
    grader = Grader()
    wall, cpu_start = time.perf_counter(), time.process_time()
    for line in lines:
        json.dumps(grader.score(json.loads(line)).as_json())
    cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall
    print(f"`sandbox score --batch` code path (JSON in, JSON out, default guidelines): "
          f"{len(lines)} replies, {len(lines) / cpu:,.0f} replies/s of CPU "
          f"({len(lines) / wall:,.0f}/s wall)")
    overall = [score_one(scorers, lang, reply, []).overall for lang, reply in replies[:500]]
    print(f"sanity: overall scores of generated replies range {min(overall)}-{max(overall)}, "
          f"mean {statistics.mean(overall):.0f}")


if __name__ == "__main__":
    main()
