"""The trainee's actions of the runs this process serves, kept between two polls.

A running run's actions are only ever added to (rescoring touches finished runs only), so the
list read for a run with N actions is the list of any later read that counts N of them, on the
same scenario version. The live poll counts them in its one read (sandbox.practice_view.poll),
finds them here, and builds the feed without reading the run and its actions again. The page,
a poll that read them and an action just stored keep them here.
"""

import threading
from collections.abc import Sequence

from sandbox import runs
from sandbox.core.replay import TraineeAction

SIZE = 4096  # runs: a worker serving a company's training week; a few kilobytes each
_known: dict[tuple, tuple[TraineeAction, ...]] = {}
_writing = threading.Lock()


def _key(run, count: int) -> tuple:
    # the start (to the microsecond) tells apart two runs with the same id in two databases
    # (a database made again, the tests' fresh ones)
    return run.id, run.started_at, run.scenario_digest, run.guidelines_digest, count


def recall(run, count: int) -> list[TraineeAction] | None:
    """The run's actions when it had `count` of them, if this process has seen them."""
    found = _known.get(_key(run, count))
    return list(found) if found is not None else None


def remember(run, actions: Sequence[TraineeAction]) -> None:
    """Keep the actions of a run still going (a finished run's scores may be graded again)."""
    if run.finished_at is not None:
        return
    with _writing:
        _known[_key(run, len(actions))] = tuple(actions)
        for fewer in (1, 2):  # the list before the last action (a move to DM adds two)
            _known.pop(_key(run, len(actions) - fewer), None)
        while len(_known) > SIZE:  # the oldest first
            del _known[next(iter(_known))]


def remember_stored(run) -> None:
    """Keep the actions of `run` as an action just stored them (runs.record_action holds the
    run from re-reading its actions to the commit, and appends what it stored): the poll the
    page sends at once finds them."""
    remember(run, runs.trainee_actions(run))
