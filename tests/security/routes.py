"""Every rule of the URL map as a request the security tests can send, with the world's ids."""

from dataclasses import dataclass

from flask import Flask

from tests.security.world import SCENARIO, World

GUIDELINES = "sunnyfoods"  # the guidelines of SCENARIO

# what the one <command> of practice.control is exercised with
CONTROL_COMMAND = "pause"


@dataclass(frozen=True)
class Route:
    method: str
    endpoint: str
    url: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.endpoint}"


def _arguments(endpoint: str, names: set[str], world: World) -> dict:
    practice_run = (world.finished_run
                    if endpoint in ("practice.debrief_page", "practice.debrief_replay")
                    else world.live_run)
    values = {
        "run_id": practice_run if endpoint.startswith("practice.") else world.finished_run,
        "user_id": (world.users["trainee"] if endpoint.split(".")[0] in ("cohorts", "talent")
                    else world.users["bystander"]),
        "cohort_id": world.cohort,
        "invitation_id": world.invitation,
        "assignment_id": world.assignment,
        "slug": SCENARIO,
        "key": SCENARIO,
        "token": world.reset_token if endpoint == "auth.reset" else world.join_token,
        "command": CONTROL_COMMAND,
        "filename": "sandbox.css",
        "change": "publish",  # the shipped scenario is published already: nothing changes
        "number": 1,
        "code": "SCN202",
    }
    if endpoint == "cohorts.remove_owner":
        values["user_id"] = world.users["trainer"]
    if endpoint.startswith("author.guidelines"):
        values["key"] = GUIDELINES
    missing = names - values.keys()
    assert not missing, f"{endpoint}: tests/security/routes.py has no value for {missing}"
    return {name: values[name] for name in names}


# query strings a route needs to do its work
QUERY = {"practice.compose": "?event=first_post&action=reply"}


def every_route(app: Flask, world: World) -> list[Route]:
    """One Route per (method, endpoint) of the URL map; GETs first, then POSTs."""
    found = []
    with app.test_request_context():
        adapter = app.url_map.bind("sandbox.test")
        for rule in app.url_map.iter_rules():
            url = adapter.build(rule.endpoint, _arguments(rule.endpoint, set(rule.arguments),
                                                          world))
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}, key=("GET", "POST").index):
                found.append(Route(method, rule.endpoint, url + QUERY.get(rule.endpoint, "")))
    return sorted(found, key=lambda r: (r.method != "GET", r.endpoint))
