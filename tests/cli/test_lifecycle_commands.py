"""`sandbox scenario publish|archive|draft|status`: the same rules as the web page."""

import re

from sqlmodel import Session

from sandbox import lifecycle

RECALL = "sunnyfoods-recall"


def state(app, key, kind="scenario"):
    with Session(app.extensions["sandbox.engine"]) as session:
        return lifecycle.states(session).of(kind, key)


def test_status_lists_every_file_with_its_state(runner, library):
    result = runner.invoke(args=["scenario", "status"])
    assert result.exit_code == 0, result.output
    assert re.search(rf"^published +{RECALL}\.yaml +\(no state recorded\)$", result.output, re.M)
    assert re.search(r"^published +guidelines/sunnyfoods\.yaml", result.output, re.M)


def test_archive_then_publish_again_records_who_did_it(app, runner, library):
    result = runner.invoke(args=["scenario", "archive", RECALL])
    assert result.exit_code == 0 and f"{RECALL}.yaml: archived" in result.output
    assert state(app, RECALL).name == "archived"
    assert state(app, RECALL).change.actor_name.startswith("command line")
    result = runner.invoke(args=["scenario", "publish", str(library / f"{RECALL}.yaml")])
    assert result.exit_code == 0 and f"{RECALL}.yaml: published" in result.output
    status = runner.invoke(args=["scenario", "status"]).output
    assert re.search(rf"^published +{RECALL}\.yaml +by command line", status, re.M)


def test_publish_refuses_a_file_with_a_warning_and_exits_1(app, runner, library):
    runner.invoke(args=["scenario", "draft", RECALL])
    path = library / f"{RECALL}.yaml"
    path.write_text(path.read_text().replace("scenes:\n", "scenes:\n  unused:\n    - {after: 0s, "
                                             "kind: comment, reply_to: first_post, from: maria, "
                                             "text: Anyone?}\n", 1))
    result = runner.invoke(args=["scenario", "publish", RECALL])
    assert result.exit_code == 1
    assert f"{RECALL}.yaml was not published." in result.output
    assert "- 1 warning: publishing needs a file with no warnings" in result.output
    assert state(app, RECALL).name == "draft"


def test_a_file_outside_the_library_is_refused_with_the_reason(runner, library, tmp_path):
    stray = tmp_path / "elsewhere.yaml"
    stray.write_text("format: 1\n")
    result = runner.invoke(args=["scenario", "archive", str(stray)])
    assert result.exit_code == 1
    assert "is not in the library" in result.output
    missing = runner.invoke(args=["scenario", "publish", "no-such-scenario"])
    assert missing.exit_code == 1 and "no such file in the library" in missing.output
