"""A scenario's `guidelines:` names a file in a guidelines folder, never any other file."""

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from sandbox.core.scenario import parse_scenario_text

FIXTURES = Path(__file__).parents[2] / "data" / "scenarios"
VALID = (FIXTURES / "valid.yaml").read_text()
# A YAML file outside the guidelines folder, shaped like guidelines, with a secret in it.
SECRET = "format: 1\nid: secret\nbrand: Hunter2Corp\nlanguage: xx\nvoice: {person: hunter2}\n"


@pytest.fixture
def library(tmp_path):
    (tmp_path / "guidelines").mkdir()
    (tmp_path / "secret.yaml").write_text(SECRET)
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "shadow.yaml").write_text(SECRET)
    return tmp_path


def _findings_naming(library: Path, slug: str) -> list[dict]:
    text = VALID.replace("guidelines: sunnyfoods", f"guidelines: {json.dumps(slug)}")
    loaded = parse_scenario_text(text, "mine.yaml", [library / "guidelines"])
    assert loaded.guidelines is None
    assert loaded.guidelines_path is None
    assert list(loaded.sources) == ["mine.yaml"], "another file's text was read"
    return [asdict(d) for d in loaded.diagnostics]


def _said(findings: list[dict]) -> str:
    return json.dumps(findings, default=str)


@pytest.mark.parametrize("slug", [
    "../secret",
    "../../secret",
    "../etc/shadow",
    "..%2Fsecret",
    "%2e%2e/secret",
    "guidelines/../../secret",
])
def test_a_relative_path_as_guidelines_is_refused_like_an_unknown_name(library, slug):
    findings = _findings_naming(library, slug)
    assert "SCN207" in [f["code"] for f in findings]
    assert "Hunter2" not in _said(findings) and "hunter2" not in _said(findings)


def test_an_absolute_path_as_guidelines_is_refused_like_an_unknown_name(library):
    findings = _findings_naming(library, str(library / "secret"))
    assert "SCN207" in [f["code"] for f in findings]
    assert "hunter2" not in _said(findings).lower()


def test_a_symbolic_link_out_of_the_guidelines_folder_is_refused(library):
    (library / "guidelines" / "linked.yaml").symlink_to(library / "secret.yaml")
    findings = _findings_naming(library, "linked")
    assert "SCN207" in [f["code"] for f in findings]
    assert "hunter2" not in _said(findings).lower()


def test_the_refusal_does_not_say_whether_the_file_exists(library):
    def shape(slug):
        return [(f["code"], f["message"].replace(slug, "X"), f["line"], f["column"])
                for f in _findings_naming(library, slug)]

    assert shape("../secret") == shape("../missing")
    assert shape(str(library / "secret")) == shape(str(library / "missing"))
