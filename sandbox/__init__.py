"""Community Sandbox: practise answering customers on social media before doing it in public."""

import os

from flask import Flask


def create_app(config: dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints. `config` overrides everything."""
    from sandbox import config as settings

    config = config or {}
    app = Flask(
        __name__,
        template_folder=str(settings.PROJECT_ROOT / "templates"),
        instance_path=config.get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH") or None,
    )
    app.config.from_object(settings.Config)
    app.config.update(settings.from_environment())
    app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = settings.default_database_url(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.instance_secret_key(app.instance_path)
    if app.config.get("BEHIND_PROXY"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    from sandbox import db, security
    from sandbox.web import errors, filters, icons, inputs, layout, security_headers
    from sandbox.web.operations import views as operations

    inputs.init_app(app)
    db.init_app(app)
    security.init_app(app)
    layout.init_app(app)
    filters.init_app(app)
    icons.init_app(app)
    errors.init_app(app)
    security_headers.init_app(app)
    operations.init_app(app)

    from sandbox.web.admin.views import bp as admin_bp
    from sandbox.web.auth.views import bp as auth_bp
    from sandbox.web.author import guidelines, sharing  # noqa: F401 (routes of author_bp)
    from sandbox.web.author.views import bp as author_bp
    from sandbox.web.cohorts.views import bp as cohorts_bp
    from sandbox.web.home.views import bp as home_bp
    from sandbox.web.practice.views import bp as practice_bp
    from sandbox.web.review.views import bp as review_bp
    from sandbox.web.talent.views import bp as talent_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(author_bp)
    app.register_blueprint(cohorts_bp)
    app.register_blueprint(practice_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(talent_bp)
    app.register_blueprint(operations.bp)

    from sandbox.cli import feature_commands

    for command in feature_commands():
        app.cli.add_command(command)
    return app
