import ctypes
import gc
import logging
import os
import shutil
import signal
import sys
import tempfile

import click

KEEPALIVE = 15  # seconds an idle client connection stays open (longer than a page's polls)


@click.command("serve", help="Serve the app with gunicorn (the production WSGI server).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Threads per worker.")
def serve_command(host: str, port: int, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    from sandbox import create_app

    metrics_dir = _shared_metrics_folder()

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            # A live page polls every 2 to 10 s (sandbox.practice_view.poll): kept open longer
            # than that, its connection is reused instead of opened again on every poll
            # (gunicorn's default closes it after 2 s idle), and a reverse proxy closing its
            # idle connections first (docs/administration.md) never reuses one just closed.
            self.cfg.set("keepalive", KEEPALIVE)
            # One JSON line per request comes from the app (sandbox.web.operations), which
            # knows the route and the person; gunicorn's own line would be a second one.
            self.cfg.set("accesslog", None)
            # SIGTERM: stop accepting, let requests in flight (an action being scored and
            # committed) finish for up to 30 s, then stop. SIGINT/SIGQUIT stop at once.
            self.cfg.set("graceful_timeout", 30)
            self.cfg.set("child_exit", _forget_worker_gauges)
            self.cfg.set("preload_app", True)
            # gunicorn's control socket is one per user account by default, so a second
            # instance on the host takes it over from the first; nothing here uses it.
            self.cfg.set("control_socket_disable", True)
            self.cfg.set("post_fork", _die_with_the_master)

        def load(self):
            # every thread with its connection, and one for a request's second session
            # (runs.store_version); DATABASE_POOL_SIZE, when set, decides
            app = create_app({} if os.environ.get("DATABASE_POOL_SIZE") else
                             {"DATABASE_POOL_SIZE": threads + 1})
            _warm_up(app)  # before the workers fork, so none of them pays for it on a request
            # What the parent built (compiled scenarios, lexicons) lives as long as the workers:
            # keep it out of their garbage collections, whose full passes would otherwise
            # grow with it, and out of copy-on-write.
            gc.freeze()
            return app

    _log_requests()
    click.echo(f"Community Sandbox on http://{host}:{port}  (Ctrl+C to stop)")
    try:
        Server().run()
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _shared_metrics_folder() -> str | None:
    """Where the workers keep their Prometheus values, so that /metrics adds up all of them:
    PROMETHEUS_MULTIPROC_DIR if the operator chose one (emptied: old values are stale), else a
    private temporary folder removed on exit (returned)."""
    from prometheus_client import values

    chosen = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if chosen:
        os.makedirs(chosen, exist_ok=True)
        for name in os.listdir(chosen):
            if name.endswith(".db"):
                os.remove(os.path.join(chosen, name))
        made = None
    else:
        chosen = made = tempfile.mkdtemp(prefix="sandbox-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = chosen
    # The client chose its in-process storage when it was imported (the command line imports
    # the app's modules to list its commands): choose again now that the folder is set. Every
    # metric has labels, so none holds a value yet.
    values.ValueClass = values.get_value_class()
    return made


def _forget_worker_gauges(_server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def _log_requests() -> None:
    """The app's access log (one JSON line per request) on standard output."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    access = logging.getLogger("sandbox.access")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False


def _die_with_the_master(_server, worker) -> None:
    """A worker ends as soon as its master does, even a master killed outright: a worker left
    behind would keep the port, and the next start would fail with "Connection in use"."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != worker.ppid:  # the master died before the line above
        os._exit(0)


_PR_SET_PDEATHSIG = 1


def _warm_up(app) -> None:
    """Parse, compile and grade every playable scenario's model answers in the parent process
    (seconds on a cold start: dictionaries, lexicons, generated people; the lexicon's regexes
    for the words replies use most, built on first use), and read the run summaries into
    the talent board's arrays with the whole board's figures (seconds at 10,000 trainees), so
    forked workers start warm and read only what changed since."""
    from sandbox import library, runs
    from sandbox.core.grading import grade_action
    from sandbox.core.replay import TraineeAction, compile_scenario

    for entry in library.entries(app.config["SCENARIOS_DIR"]):
        if not entry.playable:
            continue
        game = runs.remember_version(entry.text, entry.guidelines_text)  # what its runs will play
        scenario, guidelines = game.scenario, game.guidelines
        compiled = compile_scenario(scenario)
        for event in compiled.events.values():
            if event.expect is not None and event.expect.model_answer and event.static_at:
                action = TraineeAction(at=event.static_at, action="reply", event=event.id,
                                       text=event.expect.model_answer)
                grade_action(scenario, guidelines, earlier=[], action=action)
    from sqlalchemy.exc import SQLAlchemyError

    from sandbox import talent
    from sandbox.db import get_session
    from sandbox.evidence import EvidenceRules

    with app.app_context():
        try:
            talent.warm_up(get_session(), rules=EvidenceRules.from_config(app.config))
        except SQLAlchemyError as error:  # not migrated yet: the first board reads them
            click.echo(f"The talent board will be read on its first request "
                       f"({error.__class__.__name__}; is the database set up? "
                       f"`sandbox db upgrade`).", err=True)
    app.extensions["sandbox.engine"].dispose()  # no connection of the parent crosses the fork
