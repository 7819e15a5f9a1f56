"""What the platform team graphs (Prometheus, docs/administration.md): request latency by
endpoint, actions recorded, scoring time; runs in progress are counted at each scrape.

Under `sandbox serve` the values live in PROMETHEUS_MULTIPROC_DIR, shared by the workers (the
command sets it before this module is imported); elsewhere (tests, `flask run`) in the process.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Histogram

REQUEST_SECONDS = Histogram(
    "sandbox_request_seconds", "Time to answer a request, by endpoint.", ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0))
ACTIONS_RECORDED = Counter(
    "sandbox_actions_recorded", "Trainee actions stored (a retried submission counts once).",
    ["action"])
SCORING_SECONDS = Histogram(
    "sandbox_scoring_seconds", "Time to grade one reply (reply) or a whole run (run).", ["what"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5))


@contextmanager
def scoring(what: str) -> Iterator[None]:
    began = time.perf_counter()
    try:
        yield
    finally:
        SCORING_SECONDS.labels(what).observe(time.perf_counter() - began)
