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
            self.cfg.set("preload_app", True)

        def load(self):
            app = create_app()
            _warm_up()  # before the workers fork, so none of them pays for it on a request
            return app

    click.echo(f"Community Sandbox on http://{host}:{port}  (Ctrl+C to stop)")
    Server().run()


def _warm_up() -> None:
    """Load the scorer's dictionaries and lexicons once (a few seconds on a cold start)."""
    from sandbox.core.scenario import SHIPPED_GUIDELINES, load_guidelines
    from sandbox.core.scoring import score_reply

    for name in ("default.yaml", "default-fr.yaml"):
        guidelines = load_guidelines(SHIPPED_GUIDELINES / name).guidelines
        if guidelines is not None:
            score_reply(reply="Hello Sam, thank you for telling us. Could you DM us?",
                        post="My order is late.", guidelines=guidelines)
