"""`sandbox validate`, `sandbox schema` and `sandbox new-scenario` as trainers and CI use them."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sandbox.cli.scenarios import new_scenario_command, schema_command, validate_command
from sandbox.core.scenario.schema import schema_texts

FIXTURES = Path(__file__).parents[2] / "data" / "scenarios"


@pytest.fixture
def runner():
    return CliRunner()


def test_a_clean_file_exits_0_with_a_summary_line(runner):
    result = runner.invoke(validate_command, [str(FIXTURES / "valid.yaml")])
    assert result.exit_code == 0
    assert result.output == "Checked 1 file: 0 errors, 0 warnings.\n"


def test_a_file_with_errors_exits_1_and_shows_the_source_line(runner):
    result = runner.invoke(validate_command, [str(FIXTURES / "scn202.yaml")])
    assert result.exit_code == 1
    assert 'error[SCN202]: unknown persona "mariaa"' in result.output
    assert "18 |     from: mariaa" in result.output
    assert result.output.endswith("Checked 1 file: 1 error, 0 warnings.\n")


def test_warnings_pass_unless_strict(runner):
    path = str(FIXTURES / "scn308.yaml")
    assert runner.invoke(validate_command, [path]).exit_code == 0
    assert runner.invoke(validate_command, ["--strict", path]).exit_code == 1


def test_an_unreadable_path_exits_2(runner):
    result = runner.invoke(
        validate_command, [str(FIXTURES / "nope.yaml"), str(FIXTURES / "scn202.yaml")]
    )
    assert result.exit_code == 2


def test_json_format_prints_a_list_of_findings(runner):
    result = runner.invoke(validate_command, ["--format", "json", str(FIXTURES / "scn202.yaml")])
    [finding] = json.loads(result.output)
    assert (finding["code"], finding["line"], finding["column"]) == ("SCN202", 18, 11)


def test_github_format_prints_annotations(runner):
    result = runner.invoke(validate_command, ["--format", "github", str(FIXTURES / "scn202.yaml")])
    assert result.stdout.startswith("::error file=")
    assert ",line=18,col=11::SCN202: unknown persona" in result.stdout


def test_a_folder_is_searched_for_scenarios_and_guidelines(runner, tmp_path):
    (tmp_path / "guidelines").mkdir()
    (tmp_path / "guidelines" / "sunnyfoods.yaml").write_text("format: 1\nid: sunnyfoods\n")
    (tmp_path / "one.yaml").write_text((FIXTURES / "valid.yaml").read_text())
    result = runner.invoke(validate_command, [str(tmp_path)])
    assert result.exit_code == 1
    assert "GDL101" in result.output and "SCN217" in result.output
    assert "Checked 2 files" in result.output


def test_two_scenarios_with_the_same_id_are_reported(runner, tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text((FIXTURES / "valid.yaml").read_text())
    result = runner.invoke(validate_command, ["--format", "json", str(tmp_path)])
    assert [f["code"] for f in json.loads(result.output)] == ["SCN216"]


@pytest.mark.parametrize(("platform", "language"), [("twitter", "en"), ("facebook", "fr")])
def test_a_new_scenario_starter_validates_cleanly_and_strictly(
    runner, tmp_path, platform, language
):
    result = runner.invoke(
        new_scenario_command,
        ["late-parcel", "--platform", platform, "--language", language, "--output", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "late-parcel.yaml"
    assert path.read_text().startswith("# yaml-language-server: $schema=")
    checked = runner.invoke(validate_command, ["--strict", str(path)])
    assert checked.exit_code == 0, checked.output
    assert checked.output == "Checked 1 file: 0 errors, 0 warnings.\n"


def test_a_new_scenario_never_overwrites_an_existing_file(runner, tmp_path):
    (tmp_path / "taken.yaml").write_text("keep me")
    result = runner.invoke(new_scenario_command, ["taken", "--output", str(tmp_path)])
    assert result.exit_code != 0
    assert (tmp_path / "taken.yaml").read_text() == "keep me"


def test_a_new_scenario_refuses_a_name_that_is_not_a_slug(runner, tmp_path):
    result = runner.invoke(new_scenario_command, ["Late Parcel", "--output", str(tmp_path)])
    assert result.exit_code == 2
    assert "lower-case letters" in result.output


def test_schema_writes_both_schemas(runner, tmp_path):
    result = runner.invoke(schema_command, ["--output", str(tmp_path)])
    assert result.exit_code == 0
    for name, text in schema_texts().items():
        assert (tmp_path / name).read_text() == text
