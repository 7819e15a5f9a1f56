"""The README tells the truth: its commands, its logins and its layout exist."""

import re
from pathlib import Path

from sandbox.demo import DEMO_LOGINS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_the_two_commands_exist_and_ci_runs_the_test_command():
    makefile = (ROOT / "Makefile").read_text()
    assert "make demo" in README and "make test" in README
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_demo_login_is_in_the_readme():
    for login in DEMO_LOGINS:
        assert re.search(rf"\|\s*{login.roles[0]}\s*\|\s*{re.escape(login.email)}\s*\|\s*"
                         rf"{re.escape(login.password)}\s*\|", README), login.email


def test_every_folder_in_the_layout_exists():
    layout = README.split("## Layout", 1)[1].split("```")[1]
    for name in re.findall(r"^\s*([\w./]+/)\s", layout, re.M):
        inside = {"core/", "web/", "cli/", "static/", "practice_view/"}
        parent = "sandbox/" if name in inside else ""
        assert (ROOT / parent / name).is_dir(), f"README lists {name} but it does not exist"
