"""Trainers see the scenario library with each file's validation status and findings."""

import re
from html import unescape


def status_of(page: str, file_name: str) -> str:
    """The status cell of the library's row for `file_name` ("valid", "1 error", ...)."""
    row = next(row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if file_name in row)
    return re.search(r'<span class="status [^"]*">([^<]*)</span>', row).group(1).strip()


def findings_of(page: str) -> str:
    """The validator's report on a scenario's page, as the trainer reads it."""
    return unescape(re.search(r'<pre class="diagnostics">(.*?)</pre>', page, re.S).group(1))


def test_the_library_lists_each_scenario_with_its_status(client, library, trainer):
    page = client.get("/scenarios/").get_data(as_text=True)
    assert "Recalled granola" in page
    assert status_of(page, "sunnyfoods-recall.yaml") == "valid"


def test_a_broken_file_shows_its_errors_at_their_line(client, library, trainer):
    (library / "broken.yaml").write_text(
        "format: 1\nid: broken\ntitle: Broken\nsummary: x\nlanguage: en\ndifficulty: beginner\n"
        "duration: 10m\nseed: 1\nplatform: {network: twitter, brand: B, handle: B}\n"
        "guidelines: sunnyfoods\nbriefing: x\npersonas: {maria: {name: M, handle: m}}\n"
        "timeline:\n  - {id: p, at: 10s, kind: tweet, from: maria, text: hi}\n"
    )
    index = client.get("/scenarios/").get_data(as_text=True)
    assert status_of(index, "broken.yaml") == "1 error"
    assert status_of(index, "sunnyfoods-recall.yaml") == "valid"
    findings = findings_of(client.get("/scenarios/broken").get_data(as_text=True))
    assert 'broken.yaml:14:28: error[SCN104]: "tweet" is not a valid kind of event' in findings
    assert 'did you mean "post"?' in findings


def test_trainees_cannot_open_the_library(client, auth, make_user, library):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    assert client.get("/scenarios/").status_code == 403


def test_an_unknown_scenario_is_a_404(client, library, trainer):
    assert client.get("/scenarios/nope").status_code == 404
