"""The editor's preview draws the feed of the unsaved text with the practice page's own partials, in
the scenario's skin, at any moment, with or without the background chatter."""

import html as markup
import re

RECALL = "sunnyfoods-recall"
HTMX = {"HX-Request": "true"}


def preview(client, text, **form) -> str:
    page = client.get(f"/scenarios/{RECALL}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post(f"/scenarios/{RECALL}/preview", data={"text": text, **form},
                         headers={**HTMX, "X-CSRFToken": token})
    return markup.unescape(answer.get_data(as_text=True))


def test_the_preview_is_the_practice_pages_feed_in_the_scenarios_skin(client, library, trainer):
    shown = preview(client, (library / f"{RECALL}.yaml").read_text(), at="700")
    assert 'class="preview-skin skin-twitter"' in shown and 'class="workspace"' in shown
    post = shown.index('<li id="item-first_post" class="item post')  # practice/_item.html
    thread = shown.index('id="thread-item-first_post"', post)
    assert post < shown.index("Batch 22B - is this the recalled one") < thread
    assert thread < shown.index('id="item-pile_on-0"')  # the pile-on, in the post's thread
    assert "@maria_k" in shown
    assert 'id="notifications-title"' in shown and 'id="team-title"' in shown  # _panels.html
    assert "<form" not in shown and "/runs/" not in shown  # nothing to act on, no run


def test_a_facebook_scenario_shows_in_the_facebook_skin(client, library, trainer):
    text = (library / f"{RECALL}.yaml").read_text().replace("network: twitter",
                                                           "network: facebook", 1)
    shown = preview(client, text, at="120")
    assert 'class="preview-skin skin-facebook"' in shown
    assert re.search(r"Facebook page\s+at 2:00", shown)
    assert 'class="feed-head fb-page-head"' in shown  # practice/_feed_head.html
    assert "@maria_k" not in shown  # a page shows names without handles


def test_hiding_the_chatter_leaves_the_scenarios_own_posts(client, library, trainer):
    text = (library / f"{RECALL}.yaml").read_text()
    everything = preview(client, text)
    quiet = preview(client, text, quiet="1")
    assert "Just tried the new oat bars" in everything
    assert "Just tried the new oat bars" not in quiet
    assert "Batch 22B - is this the recalled one" in quiet
    assert re.findall(r'<li id="item-([^"]+)" class="item', quiet) == ["first_post", "pile_on-0"]
    chatter = re.findall(r'<li id="item-noise-\d+" class="item', everything)
    assert f"{len(chatter)} chatter posts left out" in quiet


def test_the_preview_sits_under_the_editor_across_the_page_with_its_controls(client, library,
                                                                            trainer):
    page = client.get(f"/scenarios/{RECALL}/edit").get_data(as_text=True)
    section = page[page.index('<section id="preview-section"'):]
    assert page.index('<section id="preview-section"') > page.index('class="editor-side"')
    assert 'href="#preview-section"' in page
    for control in ('id="preview-at"', "data-play", 'id="preview-speed"', 'name="quiet"',
                    ">Run tests<", 'id="test-results"', 'id="preview"'):
        assert control in section
