"""One failing fixture per diagnostic code: each is reported at the exact line and column."""

from pathlib import Path

import pytest

from sandbox.core.scenario import CODES, validate_paths

FIXTURES = Path(__file__).parents[2] / "data" / "scenarios"

# fixture file (under tests/data/scenarios, GDL ones under guidelines/), code, line, column
EXPECTED = [
    ("scn001", "SCN001", 16, 1),
    ("scn002", "SCN002", 10, 41),
    ("scn003", "SCN003", 20, 17),
    ("scn004", "SCN004", 5, 1),
    ("scn005", "SCN005", 20, 11),
    ("scn006", "SCN006", 37, 1),
    ("scn007", "SCN007", 17, 4),
    ("scn008", "SCN008", 1, 1),
    ("scn010", "SCN010", 1, 1),
    ("scn012", "SCN012", 1, 1),
    ("scn013", "SCN013", 4, 8),
    ("scn014", "SCN014", 23, 16),
    ("scn101", "SCN101", 2, 1),
    ("scn102", "SCN102", 6, 1),
    ("scn103", "SCN103", 18, 5),
    ("scn104", "SCN104", 17, 11),
    ("scn105", "SCN105", 10, 61),
    ("scn106", "SCN106", 16, 9),
    ("scn107", "SCN107", 26, 19),
    ("scn108", "SCN108", 2, 9),
    ("scn109", "SCN109", 3, 5),
    ("scn110", "SCN110", 28, 15),
    ("scn111", "SCN111", 4, 8),
    ("scn112", "SCN112", 1, 1),
    ("scn113", "SCN113", 11, 18),
    ("scn201", "SCN201", 32, 11),
    ("scn202", "SCN202", 18, 11),
    ("scn203", "SCN203", 19, 12),
    ("scn204", "SCN204", 24, 20),
    ("scn205", "SCN205", 29, 15),
    ("scn206", "SCN206", 34, 17),
    ("scn207", "SCN207", 8, 13),
    ("scn208", "SCN208", 33, 7),
    ("scn209", "SCN209", 32, 7),
    ("scn210", "SCN210", 16, 5),
    ("scn211", "SCN211", 10, 24),
    ("scn212", "SCN212", 11, 29),
    ("scn213", "SCN213", 10, 41),
    ("scn214", "SCN214", 39, 33),
    ("scn215", "SCN215", 18, 11),
    ("scn216", "SCN216", 3, 5),
    ("scn217", "SCN217", 8, 13),
    ("scn218", "SCN218", 30, 30),
    ("scn301", "SCN301", 30, 9),
    ("scn302", "SCN302", 36, 30),
    ("scn303", "SCN303", 27, 63),
    ("scn304", "SCN304", 25, 33),
    ("scn305", "SCN305", 21, 5),
    ("scn306", "SCN306", 28, 33),
    ("scn307", "SCN307", 30, 15),
    ("scn308", "SCN308", 37, 3),
    ("scn309", "SCN309", 30, 9),
    ("scn310", "SCN310", 39, 17),
    ("scn311", "SCN311", 38, 37),
    ("scn312", "SCN312", 23, 17),
    ("scn313", "SCN313", 20, 11),
    ("scn314", "SCN314", 20, 11),
    ("scn315", "SCN315", 25, 33),
    ("scn316", "SCN316", 37, 3),
    ("scn317", "SCN317", 23, 16),
    ("scn318", "SCN318", 32, 15),
    ("scn319", "SCN319", 30, 15),
    ("gdl001", "GDL001", 7, 1),
    ("gdl002", "GDL002", 4, 8),
    ("gdl003", "GDL003", 4, 18),
    ("gdl004", "GDL004", 6, 1),
    ("gdl005", "GDL005", 4, 8),
    ("gdl006", "GDL006", 15, 1),
    ("gdl007", "GDL007", 13, 4),
    ("gdl008", "GDL008", 1, 1),
    ("gdl010", "GDL010", 2, 11),
    ("gdl012", "GDL012", 1, 1),
    ("gdl013", "GDL013", 4, 8),
    ("gdl014", "GDL014", 12, 19),
    ("gdl101", "GDL101", 2, 1),
    ("gdl102", "GDL102", 6, 1),
    ("gdl103", "GDL103", 6, 1),
    ("gdl104", "GDL104", 15, 16),
    ("gdl105", "GDL105", 15, 27),
    ("gdl106", "GDL106", 7, 20),
    ("gdl107", "GDL107", 14, 18),
    ("gdl108", "GDL108", 2, 9),
    ("gdl109", "GDL109", 3, 5),
    ("gdl111", "GDL111", 4, 8),
    ("gdl112", "GDL112", 1, 1),
    ("gdl113", "GDL113", 16, 24),
    ("gdl301", "GDL301", 10, 14),
    ("gdl302", "GDL302", 7, 20),
    ("gdl303", "GDL303", 14, 29),
    ("gdl304", "GDL304", 11, 3),
    ("gdl305", "GDL305", 12, 40),
    ("gdl306", "GDL306", 10, 14),
    ("gdl307", "GDL307", 13, 1),
]
# Not committed as files: a missing file, and a 10 MB file (built in the test).
GENERATED = {"SCN009", "GDL009", "SCN011", "GDL011"}


def fixture_path(name: str) -> Path:
    folder = FIXTURES / "guidelines" if name.startswith("gdl") else FIXTURES
    return folder / f"{name}.yaml"


@pytest.mark.parametrize(("name", "code", "line", "column"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_each_code_is_reported_at_the_offending_line_and_column(name, code, line, column):
    paths = [fixture_path(name)]
    if code == "SCN216":
        paths.insert(0, FIXTURES / "valid.yaml")
    report = validate_paths(paths)
    found = [
        (d.line, d.column)
        for d in report.diagnostics
        if d.code == code and d.path == str(fixture_path(name))
    ]
    assert (line, column) in found, report.diagnostics


def test_every_code_has_a_failing_fixture():
    covered = {code for _, code, _, _ in EXPECTED} | GENERATED
    assert covered == set(CODES)


def test_the_valid_fixture_has_no_findings_at_all():
    assert validate_paths([FIXTURES / "valid.yaml"]).diagnostics == []


@pytest.mark.parametrize("prefix", ["scn", "gdl"])
def test_a_missing_file_is_reported_and_exits_with_status_2(prefix):
    path = fixture_path(f"{prefix}009-does-not-exist")
    report = validate_paths([path])
    assert [(d.code, d.line, d.column) for d in report.diagnostics] == [
        (f"{prefix.upper()}009", 1, 1)
    ]
    assert report.exit_code() == 2


@pytest.mark.parametrize("prefix", ["scn", "gdl"])
def test_a_ten_megabyte_file_is_refused_without_reading_it_all(tmp_path, prefix):
    folder = tmp_path / ("guidelines" if prefix == "gdl" else "")
    folder.mkdir(exist_ok=True)
    path = folder / "huge.yaml"
    path.write_text("title: " + "x" * 10_000_000 + "\n")
    report = validate_paths([path])
    assert [(d.code, d.line, d.column) for d in report.diagnostics] == [
        (f"{prefix.upper()}011", 1, 1)
    ]
    assert report.exit_code() == 1
