import ctypes
import gc
import os
import signal
import sys

import click


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

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", "-")
            self.cfg.set("access_log_format", '%(h)s "%(r)s" %(s)s %(b)s %(M)sms')
            self.cfg.set("preload_app", True)
            # gunicorn's control socket is one per user account by default, so a second
            # instance on the host takes it over from the first; nothing here uses it.
            self.cfg.set("control_socket_disable", True)
            self.cfg.set("post_fork", _die_with_the_master)

        def load(self):
            app = create_app()
            _warm_up(app)  # before the workers fork, so none of them pays for it on a request
            # What the parent built (compiled scenarios, lexicons) lives as long as the workers:
            # keep it out of their garbage collections, whose full passes would otherwise
            # grow with it, and out of copy-on-write.
            gc.freeze()
            return app

    click.echo(f"Community Sandbox on http://{host}:{port}  (Ctrl+C to stop)")
    Server().run()


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
    """Parse, compile and grade every playable scenario once in the parent process (seconds on
    a cold start: dictionaries, lexicons, generated people), so forked workers start warm."""
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
                break
