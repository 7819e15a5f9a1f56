"""What SQLite's synchronous=FULL costs against NORMAL, on this machine's disk.

Records trainee actions through the real write path (runs.record_action: lock, score, insert,
commit; a new run every PER_RUN actions, as a run is started and then acted in) and,
separately, bare one-row commits (what a sign-in attempt costs), with each level, alternating
rounds, in a temporary folder on the same disk as this checkout. Prints actions/s and
commits/s per level and the slowdown of FULL; the default stays FULL unless this shows a cost
that matters (docs/administration.md, SQLITE_SYNCHRONOUS).

    .venv/bin/python benchmarks/sqlite_synchronous.py [--actions 150] [--commits 400] [--rounds 3]
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PER_RUN = 8
REPLY = ("Hi Maria, we're so sorry your little one is unwell. Batch 22B is part of this "
         "morning's recall - please DM us so we can arrange a refund today. ({n})")


def measure(level: str, folder: Path, actions: int, commits: int) -> tuple[float, float]:
    from sqlmodel import Session

    from sandbox import accounts, db, library, runs
    from sandbox.models import LoginAttempt, utcnow

    url = f"sqlite:///{folder / f'{level.lower()}-{time.monotonic_ns()}.db'}"
    db.upgrade(url)
    engine = db.make_engine(url, sqlite_synchronous=level)
    with Session(engine, expire_on_commit=False) as session:
        user = accounts.create_user(session=session, email="bench@example.com", name="Bench",
                                    password="benchmark password", roles=["trainee"])
        session.commit()
        entry = library.find(ROOT / "scenarios", "sunnyfoods-recall")
        started = time.perf_counter()
        for number in range(actions):
            if number % PER_RUN == 0:  # a run holds about as many actions as a real one
                run = runs.start_run(session=session, user=user, entry=entry, mode="practice",
                                     speed=1, now=utcnow() - timedelta(minutes=2))
            runs.record_action(session=session, run=run, key=f"k{number}", action="reply",
                               event="first_post", text=REPLY.format(n=number))
        actions_per_s = actions / (time.perf_counter() - started)

        started = time.perf_counter()
        for number in range(commits):
            session.add(LoginAttempt(email=f"b{number}@example.com", address="10.0.0.1",
                                     succeeded=True))
            session.commit()
        commits_per_s = commits / (time.perf_counter() - started)
    engine.dispose()
    return actions_per_s, commits_per_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=150)
    parser.add_argument("--commits", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {"NORMAL": [], "FULL": []}
    with tempfile.TemporaryDirectory(dir=ROOT) as folder:
        measure("FULL", Path(folder), 5, 5)  # warm up: imports, scenario parsing, lexicons
        for _ in range(options.rounds):
            for level in results:
                results[level].append(measure(level, Path(folder), options.actions,
                                              options.commits))
    print(f"{'synchronous':<12} {'actions/s':>10} {'commits/s':>10}   (median of "
          f"{options.rounds} rounds: {options.actions} scored replies, {options.commits} "
          "one-row commits)")
    medians = {}
    for level, figures in results.items():
        medians[level] = (statistics.median(a for a, _ in figures),
                          statistics.median(c for _, c in figures))
        print(f"{level:<12} {medians[level][0]:>10.1f} {medians[level][1]:>10.1f}")
    actions_cost = 1 - medians["FULL"][0] / medians["NORMAL"][0]
    commits_cost = 1 - medians["FULL"][1] / medians["NORMAL"][1]
    print(f"FULL costs {actions_cost:.0%} of action throughput and {commits_cost:.0%} of bare "
          "commit throughput against NORMAL")


if __name__ == "__main__":
    main()
