"""The editor's "Run tests": the unsaved text's `tests:`, each passed or failed, by the preview."""

import html as markup
import re

from tests.web.test_scenario_editor import RECALL, check, opened


def html(response) -> str:
    return markup.unescape(response.get_data(as_text=True))


def results(response) -> list[tuple[str, str]]:
    page = html(response)
    return re.findall(r'<strong class="test-verdict">(Passed|Failed)</strong> ([^\n<]+)', page)


def test_the_editor_has_a_run_tests_button_beside_the_preview(client, library, trainer):
    page = html(client.get(f"/scenarios/{RECALL}/edit"))
    assert f'hx-post="/scenarios/{RECALL}/tests"' in page
    assert 'id="test-results"' in page


def test_running_the_shipped_tests_shows_each_one_passed(client, library, trainer):
    text = (library / f"{RECALL}.yaml").read_text()
    response = check(client, text, part="tests")
    assert response.status_code == 200
    found = results(response)
    assert len(found) == 4 and all(verdict == "Passed" for verdict, _ in found)
    assert "4 of 4 tests passed" in html(response)
    assert "<html" not in html(response)  # only the results, for htmx


def test_a_failing_test_of_the_unsaved_text_says_what_was_expected_and_what_happened(
        client, library, trainer):
    saved = (library / f"{RECALL}.yaml").read_text()
    text = saved.rstrip("\n") + "\n  - name: nothing happens before a minute\n    at: 1m\n" \
        "    expect_events: [first_post]\n    expect_absent: [first_post]\n"
    response = check(client, text, part="tests")
    page = html(response)
    assert "1 failed" in page
    assert ("Failed", "nothing happens before a minute") in results(response)
    assert "Appeared, should not" in page and "first_post" in page
    assert (library / f"{RECALL}.yaml").read_text() == saved  # nothing was saved


def test_tests_do_not_run_while_the_text_has_errors(client, library, trainer):
    response = check(client, "format: 1\nid: [\n", part="tests")
    assert response.status_code == 200
    assert "The tests cannot run while the text has" in html(response)


def test_without_javascript_the_button_shows_the_editor_with_the_results(client, library,
                                                                          trainer):
    text = (library / f"{RECALL}.yaml").read_text()
    response = client.post(f"/scenarios/{RECALL}/tests", data={**opened(client), "text": text})
    page = html(response)
    assert response.status_code == 200
    assert 'id="editor-text"' in page and "4 of 4 tests passed" in page


def test_the_command_line_and_the_editor_run_the_same_tests(client, library, trainer, runner):
    text = (library / f"{RECALL}.yaml").read_text()
    names = [name.strip() for _, name in results(check(client, text, part="tests"))]
    printed = runner.invoke(args=["scenario", "test", str(library / f"{RECALL}.yaml")]).output
    assert names == re.findall(r"^  PASS  (.+)$", printed, re.M)
