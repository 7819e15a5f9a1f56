import uuid

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from sandbox import library, lifecycle, reviews, runs, security
from sandbox.core.grading import response_targets
from sandbox.core.vocabulary import ACTION_LABELS, ACTION_NAMES
from sandbox.db import get_session
from sandbox.practice_view import debrief, hints, run_actions
from sandbox.practice_view.conversations import InboxView
from sandbox.practice_view.poll import Asked, own_poll
from sandbox.practice_view.workspace import changes, workspace
from sandbox.security import roles_required
from sandbox.web.layout import htmx, render

bp = Blueprint("practice", __name__)


def _library() -> list[library.Entry]:
    return lifecycle.for_trainees(get_session(), current_app.config["SCENARIOS_DIR"])


def _own_run(run_id: int):
    return runs.run_of(get_session(), current_user, run_id) or abort(404)


@bp.get("/practice/")
@roles_required("trainee")
def index():
    history = runs.runs_of(get_session(), current_user)
    return render("practice/index.html", entries=_library(), history=history,
                  standings={run.id: reviews.standing(run) for run in history},
                  titles=library.titles(current_app.config["SCENARIOS_DIR"]))


@bp.get("/practice/<slug>")
@roles_required("trainee")
def briefing(slug: str):
    entry = library.find(current_app.config["SCENARIOS_DIR"], slug)
    if entry is None or not entry.playable:
        abort(404)
    refused = lifecycle.refusal(get_session(), entry, current_user)
    if refused:  # a draft's or an archived scenario's address, typed or kept
        return render_template("errors/error.html", code=403,
                               title="This scenario cannot be played", advice=refused), 403
    mode = request.args.get("mode")  # an assignment's mode, chosen by the trainer
    mode = mode if mode in runs.MODES else "practice"
    return render("practice/briefing.html", entry=entry, speeds=runs.SPEEDS, mode=mode,
                  assigned_mode=mode if request.args.get("assigned") else None,
                  topics=_topics_at_stake(entry),
                  targets=response_targets(entry.scenario, entry.guidelines))


def _topics_at_stake(entry) -> list:
    """The guidelines' rules for the topics the scenario's events raise, in timeline order:
    they are graded, so the trainee reads them before the clock starts."""
    rules = getattr(entry.guidelines, "topics", None) or {}
    used = dict.fromkeys(event.topic for event in entry.scenario.timeline if event.topic)
    return [(name, rules[name]) for name in used if name in rules]


@bp.post("/practice/<slug>/start")
@roles_required("trainee")
def start(slug: str):
    entry = library.find(current_app.config["SCENARIOS_DIR"], slug) or abort(404)
    try:
        run = runs.start_run(session=get_session(), user=current_user, entry=entry,
                             mode=request.form.get("mode", "practice"),
                             speed=request.form.get("speed", entry.scenario.default_speed,
                                                    type=int))
    except runs.RunError as problem:
        flash(str(problem), "error")
        return redirect(url_for("practice.briefing", slug=slug))
    return redirect(url_for("practice.run", run_id=run.id))


@bp.get("/runs/<int:run_id>")
@roles_required("trainee")
def run(run_id: int):
    run = _own_run(run_id)
    if run.finished_at is not None:
        return redirect(url_for("practice.debrief_page", run_id=run.id))
    return render("practice/run.html", fragment="practice/_inbox.html",
                  space=workspace(get_session(), run), compose=_composer_request(request.args),
                  inbox_view=InboxView.of(request.args.get("inbox")), new_key=_new_key)


@bp.get("/runs/<int:run_id>/live")
def live(run_id: int):
    asked = Asked.from_args(request.args)
    polled = own_poll(get_session(), sign_in=security.session_sign_in(), role="trainee",
                      run_id=run_id, asked=asked)
    if polled is None:  # the usual checks decide who asks (sign-in page, 403, 404)
        return _checked_live(run_id, asked)
    if polled.quiet is not None:  # nothing new: only the next poller, no feed built
        return _fragment("practice/_poller.html", poll=polled.quiet)
    if polled.run is not None:  # its actions known in this process: no second read
        return _live(polled.run, asked, polled.actions)
    return _live(runs.playing(get_session(), run_id) or abort(404), asked)


@roles_required("trainee")
def _checked_live(run_id: int, asked: Asked):
    return _live(_own_run(run_id), asked)


def _live(run, asked: Asked, actions=None):
    update = changes(get_session(), run, since=asked.since, known_actions=asked.acts,
                     actions=actions)
    return _fragment("practice/_live.html", update=update, space=update.space, new_key=_new_key)


@bp.get("/runs/<int:run_id>/compose")
@roles_required("trainee")
def compose(run_id: int):
    run = _own_run(run_id)
    wanted = _composer_request(request.args) or abort(400)
    if not htmx:
        return redirect(url_for("practice.run", run_id=run.id, **wanted))
    return render("practice/_composer.html", space=workspace(get_session(), run),
                  compose=wanted, key=_new_key(), text="", error=None)


@bp.post("/runs/<int:run_id>/actions")
@roles_required("trainee")
def act(run_id: int):
    run = _own_run(run_id)
    session = get_session()
    form = request.form
    wanted = {"event": form.get("event", ""), "action": form.get("action", "")}
    try:
        recorded = runs.record_action(session=session, run=run, key=form.get("key", ""),
                                      action=wanted["action"], event=wanted["event"],
                                      text=form.get("text"), to=form.get("to"),
                                      dm=form.get("dm"))
    except runs.RunError as problem:
        if not htmx:
            flash(str(problem), "error")
            return redirect(url_for("practice.run", run_id=run.id, **wanted))
        space = workspace(session, run)
        return render("practice/_composer.html", space=space, compose=wanted,
                      key=form.get("key", ""), text=form.get("text", ""),
                      dm=form.get("dm", ""), error=str(problem)), 422
    run_actions.remember_stored(run)
    if not htmx:
        if not recorded.duplicate:
            flash("Sent.", "success")
        return redirect(url_for("practice.run", run_id=run.id))
    return "", 200, {"HX-Trigger": "feed-changed"}


@bp.post("/runs/<int:run_id>/hints")
@roles_required("trainee")
def live_hints(run_id: int):
    run = _own_run(run_id)
    found = hints.for_draft(get_session(), run, event=request.form.get("event", ""),
                            action=request.form.get("action", "reply"),
                            text=request.form.get("text", ""))
    return render("practice/_hints.html", hints=found)


@bp.post("/runs/<int:run_id>/<any(pause, resume, finish):command>")
@roles_required("trainee")
def control(run_id: int, command: str):
    run = _own_run(run_id)
    try:
        getattr(runs, command)(session=get_session(), run=run)
    except runs.RunError as problem:
        flash(str(problem), "error")
    if command == "finish":
        return _redirect(url_for("practice.debrief_page", run_id=run.id))
    return _redirect(url_for("practice.run", run_id=run.id))


@bp.get("/runs/<int:run_id>/debrief")
@roles_required("trainee")
def debrief_page(run_id: int):
    run = _own_run(run_id)
    if run.finished_at is None:  # out of time or not, only Finish (a POST) grades it
        return redirect(url_for("practice.run", run_id=run.id))
    at = request.args.get("at", type=int)  # a moment asked for: the replay open, showing it
    report = debrief.build(get_session(), run, at=at, with_replay=at is not None)
    return render("practice/debrief.html", report=report, labels=ACTION_LABELS)


@bp.get("/runs/<int:run_id>/debrief/replay")
@roles_required("trainee")
def debrief_replay(run_id: int):
    """The debrief's replay, loaded when its section is opened: the player at `at` (the run's
    end by default), or only the run at that moment for replay.js (HX-Target: replay). Asked
    for outside htmx, the debrief with the replay open at that moment."""
    run = _own_run(run_id)
    if run.finished_at is None:  # as the debrief: only Finish (a POST) grades it
        return _redirect(url_for("practice.run", run_id=run.id))
    at = request.args.get("at", type=int)
    if not htmx:
        return redirect(url_for("practice.debrief_page", run_id=run.id,
                                at=run.finished_sim_s if at is None else at,
                                _anchor="replay-section"))
    moment_only = htmx.target == "replay"  # replay.js swaps #replay as the clock moves
    template = "practice/_replay.html" if moment_only else "practice/_replay_player.html"
    return render_template(template, replay=debrief.replay_of(get_session(), run, at=at),
                           replay_url=url_for("practice.debrief_page", run_id=run.id),
                           replay_fragment_url=url_for("practice.debrief_replay", run_id=run.id))


def _fragment(template: str, **context) -> str:
    """A partial that polls get, rendered without the page's context (navigation, the person
    signed in): it shows neither, and loading the person would cost a read on every poll."""
    return current_app.jinja_env.get_template(template).render(**context)


def _redirect(url: str):
    """A redirect that htmx follows as a full page load."""
    if htmx:
        return "", 204, {"HX-Redirect": url}
    return redirect(url)


def _composer_request(args) -> dict | None:
    event, action = args.get("event"), args.get("action")
    if not event or action not in ACTION_NAMES:
        return None
    return {"event": event, "action": action}


def _new_key() -> str:
    return uuid.uuid4().hex
