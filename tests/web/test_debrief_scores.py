"""One score per reply on the debrief, with the evidence coloured by what it says."""

import re

from sqlmodel import Session

from sandbox.models import Run
from tests.web.test_practice import GOOD_REPLY, act, engine, rewind, start, trainee  # noqa: F401


def finish(client, auth, run_id):
    token = auth.csrf_token(f"/runs/{run_id}")
    client.post(f"/runs/{run_id}/finish", data={"csrf_token": token})
    return client.get(f"/runs/{run_id}/debrief").get_data(as_text=True)


def reply_card(page):
    return page.split('class="reply-review"', 1)[1].split("</article>", 1)[0]


def test_an_escalation_made_after_the_reply_counts_and_the_debrief_says_so(app, client, auth,
                                                                          trainee):  # noqa: F811
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 40)
    act(client, auth, run_id, key="r", event="first_post", action="reply", text=GOOD_REPLY)
    rewind(app, run_id, 4)
    act(client, auth, run_id, key="e", event="first_post", action="escalate",
        to="quality_team", text="Parent reports her child was sick after batch 22B.")
    page = finish(client, auth, run_id)
    with Session(engine(app)) as session:
        run = session.get(Run, run_id)
        timeline_score = run.result["events"][0]["result"]["overall"]
        sent_score = run.actions[0].overall
    card = reply_card(page)
    assert f"<strong>{timeline_score}</strong>/100" in card
    assert timeline_score > sent_score
    assert f"When it was sent it scored {sent_score}" in card
    assert re.search(r"Escalated to Quality &amp; Safety desk \d+s after this reply, as expected",
                     card)  # the expert as the scenario names it


def test_praise_is_green_and_problems_are_red_whatever_the_criterions_score(app, client, auth,
                                                                           trainee):  # noqa: F811
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 40)
    act(client, auth, run_id, key="r", event="first_post", action="reply",
        text="Hi Maria, calm down. Batch 22B is recalled, please DM us.")
    card = reply_card(finish(client, auth, run_id))
    assert re.search(r'<mark class="good" title="Addresses the customer personally[^"]*">'
                     r'Maria<sup>', card)
    assert re.search(r'<mark class="bad" title="[^"]*">calm down<sup>', card)
    evidence = card.split('<ol class="evidence">', 1)[1].split("</ol>", 1)[0]
    assert re.search(r'<li class="bad"><span class="evidence-mark" aria-hidden="true">✗</span> '
                     r'&#34;calm down&#34;', evidence)
    assert re.search(r'<li class="good"><span class="evidence-mark" aria-hidden="true">✓</span> '
                     r'Addresses the customer personally', evidence)
