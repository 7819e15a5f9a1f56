"""The editor teaches as the trainer types: the documentation of the key under the cursor and of a
finding's code beside the editor (under it on a phone), completion of keys, values and the file's
own names, the story drawn as a diagram whose steps go to their lines, and a large preview that
plays. These tests only read the shipped scenarios: every text they change is put back, unsaved."""

import re

import pytest
from playwright.sync_api import expect

from sandbox import library
from tests.conftest import SHIPPED

pytestmark = pytest.mark.e2e
CURSOR_LINE = "box => box.value.slice(0, box.selectionStart).split('\\n').length"
RECALL = "/scenarios/sunnyfoods-recall/edit"


@pytest.fixture
def trainer(page, sign_in):
    sign_in("trainer@example.com", "practise-trainer")
    return page


def put_caret(editor, needle: str, offset: int = 0, end: int | None = None) -> None:
    """Select from `offset` to `end` characters into the first `needle` of the text."""
    start = editor.input_value().index(needle) + offset
    editor.focus()
    editor.evaluate("(box, r) => box.setSelectionRange(r[0], r[1])",
                    [start, start + (end - offset if end is not None else 0)])
    editor.press("Shift+ArrowLeft")  # a key the page hears, then back where it was
    editor.press("Shift+ArrowRight")


def line_of(editor, needle: str) -> str:
    text = editor.input_value()
    start = text.index(needle)
    return text[text.rindex("\n", 0, start) + 1:text.index("\n", start)]


def test_the_help_beside_the_editor_follows_the_caret(trainer, output_path):
    page = trainer
    page.goto(RECALL)
    editor = page.get_by_label(re.compile("YAML of"))
    help_panel = page.locator("#field-help")
    original = editor.input_value()

    put_caret(editor, "    kind: post", 4)
    expect(help_panel.locator(".help-key")).to_have_text(re.compile(r"^kind\s*required"))
    expect(help_panel).to_contain_text("post | comment | mention | dm | internal")
    expect(help_panel.locator(".help-values code")).to_have_text(
        ["post", "comment", "mention", "dm", "internal"])
    expect(help_panel.locator(".help-current")).to_have_text("post")  # the value in the text
    expect(help_panel).to_contain_text("(needs reply_to)")  # the format guide's row
    expect(help_panel.locator(".help-example")).to_have_text("kind: post")

    editor.press("ArrowDown")  # the next line: from: maria
    expect(help_panel.locator(".help-key")).to_have_text(re.compile(r"^from"))
    names = help_panel.locator(".help-values code")  # the file's personas, then its experts
    expect(names.first).to_have_text("maria")
    expect(names.last).to_have_text("legal")
    expect(names).not_to_contain_text(["crowd"])  # a crowd only chatters

    put_caret(editor, "{after: 0s, kind: comment, reply_to: first_post", 38)  # inside {…}
    expect(help_panel.locator(".help-key")).to_have_text(re.compile(r"^reply_to"))
    expect(help_panel.locator(".help-path")).to_have_text(re.compile(r"scenes › pile_on ›"))
    put_caret(editor, "        goto: quality_answers", 10)
    expect(help_panel.locator(".help-key")).to_have_text(re.compile(r"^goto"))
    expect(help_panel.locator(".help-values")).to_contain_text("quality_answers maria_thanks")
    expect(help_panel.locator(".help-values code").last).to_have_text("end")

    help_box, editor_box = help_panel.bounding_box(), editor.bounding_box()
    assert help_box["x"] >= editor_box["x"] + editor_box["width"]  # beside, on a desktop
    page.screenshot(path=f"{output_path}/editor-field-help.png")

    # a finding's code: its documentation opens beside the editor too, and closes
    editor.fill(original.replace("    from: maria\n", "    from: mariaa\n", 1))
    page.get_by_role("link", name="What SCN202 means").click()
    doc = page.locator("#doc-panel")
    expect(doc.get_by_role("heading")).to_contain_text("SCN202")
    expect(page).to_have_url(re.compile(r"/edit$"))  # not a new page
    assert doc.bounding_box()["x"] >= editor_box["x"] + editor_box["width"]
    doc.get_by_role("button", name=re.compile("Close")).click()
    expect(doc).to_be_hidden()
    editor.fill(original)
    expect(page.locator("#diagnostics")).to_contain_text("No findings")


def test_on_a_phone_the_help_and_the_docs_stack_under_the_editor(trainer, output_path):
    page = trainer
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(RECALL)
    editor = page.get_by_label(re.compile("YAML of"))
    original = editor.input_value()
    put_caret(editor, "  language: en", 2) if "  language: en" in original else \
        put_caret(editor, "language: en", 1)
    help_panel = page.locator("#field-help")
    expect(help_panel.locator(".help-key")).to_have_text(re.compile(r"^language"))
    editor_box, help_box = editor.bounding_box(), help_panel.bounding_box()
    assert help_box["y"] >= editor_box["y"] + editor_box["height"]
    assert help_box["x"] >= 0 and help_box["x"] + help_box["width"] <= 390

    editor.fill(original.replace("    from: maria\n", "    from: mariaa\n", 1))
    page.get_by_role("link", name="What SCN202 means").click()
    doc = page.locator("#doc-panel")
    expect(doc.get_by_role("heading")).to_contain_text("SCN202")
    expect(doc.get_by_role("heading")).to_be_in_viewport()  # brought to the reader
    doc_box = doc.bounding_box()
    assert doc_box["x"] >= 0 and doc_box["x"] + doc_box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sideways
    page.screenshot(path=f"{output_path}/editor-phone-doc.png")
    editor.fill(original)
    expect(page.locator("#diagnostics")).to_contain_text("No findings")


def test_completion_inserts_a_persona_name_and_an_action_value(trainer, output_path):
    page = trainer
    page.goto(RECALL)
    editor = page.get_by_label(re.compile("YAML of"))
    original = editor.input_value()
    suggestions = page.get_by_role("listbox", name="Suggestions")

    # typing a value offers the file's personas (and experts); Enter takes the first
    put_caret(editor, "    from: maria\n", 10, 15)
    editor.press("Delete")
    editor.press_sequentially("ma")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("option").first).to_contain_text("maria")
    expect(suggestions.get_by_role("option").first).to_contain_text("persona")
    page.screenshot(path=f"{output_path}/editor-completion.png")
    editor.press("Enter")
    expect(suggestions).to_be_hidden()
    assert line_of(editor, "    from: m") == "    from: maria"

    # Ctrl+Space offers the actions a branch can wait for; a click takes one
    put_caret(editor, "when: {action: escalate}", 15, 23)
    editor.press("Delete")
    editor.press("Control+Space")
    options = suggestions.get_by_role("option")
    expect(options).to_have_count(6)  # reply, move_to_dm, escalate, hide, like, ignore
    editor.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    editor.press("Escape")
    expect(suggestions).to_be_hidden()
    editor.press_sequentially("esc")
    expect(options).to_have_count(1)
    options.first.click()
    assert line_of(editor, "when: {action: ") == "      - when: {action: escalate}"

    # a key on a new line of an event: only the keys that fit there, those not used yet
    put_caret(editor, "    virality: high")
    editor.press("End")
    editor.press("Enter")
    editor.press_sequentially("re")
    expect(options).to_have_text([re.compile(r"^reply_to")])
    editor.press("Tab")
    assert line_of(editor, "    reply_to") == "    reply_to: "
    editor.fill(original)
    expect(page.locator("#diagnostics")).to_contain_text("No findings")


def shipped():
    for path in sorted(SHIPPED.glob("*.yaml")):
        scenario = library.find(SHIPPED, path.stem).scenario
        events = [*scenario.timeline, *(e for scene in scenario.scenes.values() for e in scene)]
        yield path.stem, len(events), sum(len(event.branches) for event in events)


def test_the_story_diagram_draws_every_event_and_branch_of_every_shipped_scenario(trainer):
    page = trainer
    for key, events, branches in shipped():
        page.goto(f"/scenarios/{key}/edit")
        diagram = page.locator("#story svg.diagram")
        expect(diagram).to_be_visible()
        expect(diagram.locator(".diagram-node")).to_have_count(events)
        expect(diagram.locator(".diagram-fork")).to_have_count(branches)
        step = diagram.locator(".diagram-node").last  # the last to show: a scene's event
        step.click()
        editor = page.get_by_label(re.compile("YAML of"))
        expect(editor).to_be_focused()
        assert editor.evaluate(CURSOR_LINE) == int(step.get_attribute("data-line")), key
        fork = diagram.locator(".diagram-fork").first
        fork.focus()
        page.keyboard.press("Enter")  # the keyboard too
        expect(editor).to_be_focused()
        line = editor.evaluate(CURSOR_LINE)
        assert editor.input_value().split("\n")[line - 1].strip().startswith("- when:"), key

    page.get_by_text("List", exact=True).click()  # the list view stays available
    expect(page.locator("#story .story-list")).to_be_visible()
    expect(page.locator("#story svg.diagram")).to_be_hidden()
    page.get_by_text("Diagram", exact=True).click()
    expect(page.locator("#story svg.diagram")).to_be_visible()


def test_the_large_preview_plays_the_feed_at_high_speed(trainer, output_path):
    page = trainer
    page.goto("/scenarios/tandemy-outage-crisis/edit")
    section = page.locator("#preview-section")
    page.get_by_role("link", name="Preview", exact=True).click()
    expect(section).to_be_in_viewport()
    assert section.bounding_box()["width"] > 1000  # the whole width, under the editor
    preview = page.locator("#preview")
    page.get_by_label("Simulated time").fill("0")
    expect(preview).to_contain_text("Nothing on the feed yet at 0:00")
    page.get_by_label("Simulated time").fill("2100")  # 35:00
    expect(preview).to_contain_text("no signal at all")  # posted at 1:00
    expect(preview).not_to_contain_text("Signal's back in Brambury")  # posted at 38:00
    page.evaluate("""() => { window.frames_shown = [];  // every feed the play puts on screen
        new MutationObserver(() => window.frames_shown.push(
            Number(document.getElementById("preview").dataset.at)))
          .observe(document.getElementById("preview-section"), {childList: true}); }""")
    page.get_by_label("Play speed").select_option("300")
    play = page.locator("[data-play]")
    play.click()
    expect(play).to_have_text("Pause")
    expect(page.locator("#preview-clock")).to_have_text("45:00", timeout=20_000)
    expect(play).to_have_text("Play")
    expect(preview).to_contain_text("Signal's back in Brambury")
    shown = page.evaluate("window.frames_shown")
    assert shown == sorted(shown) and shown[-1] == 2700 and len(shown) >= 8  # 75 s a frame
    expect(preview.locator(".preview-caption")).to_contain_text("at 45:00 of 45:00")
    page.get_by_label("Hide chatter").check()
    expect(preview).to_contain_text("chatter posts left out")
    section.screenshot(path=f"{output_path}/editor-large-preview.png")
