"""Branches on what the reply said: reply_mentions, reply_lacks, reply_breaks, reply_passes,
combined reply conditions, and the race rule between them and the older conditions."""

from sandbox.core.replay import feed_at
from sandbox.core.replay.actions import graded
from sandbox.core.replay.scripted import fill_scores
from sandbox.core.scenario import SHIPPED_SCENARIOS, load_scenario
from tests.unit.replay.conftest import act, reply
from tests.unit.replay.test_branches import visible, with_branches

SORRY = "Hi Maria, we're so sorry - batch 22B is recalled, please DM us."


def test_a_reply_that_mentions_the_phrase_fires_ignoring_case_and_accents():
    scenario = with_branches("{when: {reply_mentions: [refund, désolé]}, goto: thanks}")
    assert "thanks.0" in visible(scenario, 600, [reply(120, text="We are DESOLE, truly.")])
    assert "thanks.0" in visible(scenario, 600, [reply(120, text="A full Refund is on its way")])
    assert "thanks.0" not in visible(scenario, 600, [reply(120, text=SORRY)])


def test_a_reply_that_lacks_every_phrase_fires_reply_lacks():
    scenario = with_branches("{when: {reply_lacks: [sorry, apologise]}, goto: pile_on}")
    assert "pile_on.0" in visible(scenario, 600, [reply(120, text="Batch 22B is recalled.")])
    assert "pile_on.0" not in visible(scenario, 600, [reply(120, text="We apologised already.")])


def test_content_branches_fire_at_the_first_reply_only():
    scenario = with_branches("{when: {reply_mentions: refund}, goto: thanks}")
    actions = [reply(120, text=SORRY), reply(240, text="A refund is on its way.")]
    assert "thanks.0" not in visible(scenario, 900, actions)


def test_a_broken_criterion_fires_reply_breaks_and_a_list_means_any_of_them():
    scenario = with_branches("{when: {reply_breaks: [privacy, facts]}, goto: pile_on}")
    leak = graded(reply(120, text="Your number 07700 900461 is noted."), {
        "overall": 15, "verdict": "fail",
        "criteria": [{"id": "privacy", "score": 0, "critical": True},
                     {"id": "empathy", "score": 80, "critical": False}]})
    fine = graded(reply(120, text=SORRY), {
        "overall": 85, "verdict": "pass",
        "criteria": [{"id": "privacy", "score": 100, "critical": False},
                     {"id": "facts", "score": 60, "critical": False}]})
    assert leak.broken == {"privacy"}
    assert "pile_on.0" in visible(scenario, 600, [leak])
    assert "pile_on.0" not in visible(scenario, 600, [fine])


def test_a_low_score_without_the_criterion_broken_does_not_fire_reply_breaks():
    scenario = with_branches("{when: {reply_breaks: privacy}, goto: pile_on}")
    weak = graded(reply(120, text="ok"), {"overall": 10, "verdict": "fail", "criteria": [
        {"id": "privacy", "score": 100, "critical": False},
        {"id": "empathy", "score": 0, "critical": False}]})
    assert "pile_on.0" not in visible(scenario, 600, [weak])


def test_reply_passes_true_fires_on_a_pass_verdict_and_a_criterion_on_none_broken():
    scenario = with_branches("{when: {reply_passes: true}, goto: thanks}",
                             "{when: {reply_passes: privacy}, goto: pile_on}")
    good = graded(reply(120, text=SORRY), {"overall": 85, "verdict": "pass", "criteria": []})
    coach = graded(reply(120, text=SORRY), {"overall": 60, "verdict": "coach", "criteria": []})
    assert "thanks.0" in visible(scenario, 600, [good])
    seen = visible(scenario, 600, [coach])
    assert "thanks.0" not in seen and "pile_on.0" in seen


def test_a_reply_nobody_graded_decides_no_verdict_or_criterion_branch():
    scenario = with_branches("{when: {reply_passes: true}, goto: thanks}",
                             "{when: {reply_breaks: privacy}, goto: pile_on}")
    seen = visible(scenario, 600, [reply(120, text=SORRY)])
    assert "thanks.0" not in seen and "pile_on.0" not in seen


def test_combined_reply_conditions_must_all_hold():
    scenario = with_branches("{when: {reply_mentions: refund, reply_passes: true}, goto: thanks}")
    passing = {"overall": 90, "verdict": "pass", "criteria": []}
    failing = {"overall": 30, "verdict": "fail", "criteria": []}
    assert "thanks.0" in visible(scenario, 600, [
        graded(reply(120, text="Your refund is on its way."), passing)])
    assert "thanks.0" not in visible(scenario, 600, [
        graded(reply(120, text="Your refund is on its way."), failing)])
    assert "thanks.0" not in visible(scenario, 600, [graded(reply(120, text=SORRY), passing)])


def test_the_first_branch_in_the_list_wins_between_reply_conditions():
    scenario = with_branches("{when: {reply_mentions: sorry}, goto: thanks}",
                             "{when: {reply_score_below: 90}, goto: pile_on}")
    feed = feed_at(scenario, at=600, actions=[reply(120, score=20, text=SORRY)])
    assert [(b.condition, b.goto) for b in feed.fired] == [("reply_mentions", "thanks")]


def test_an_action_before_the_reply_wins_the_race_and_closes_the_content_branches():
    scenario = with_branches("{when: {reply_passes: true}, goto: thanks}",
                             "{when: {action: escalate}, goto: quality_answers}")
    good = graded(reply(200, text=SORRY), {"overall": 85, "verdict": "pass", "criteria": []})
    seen = visible(scenario, 1200, [act(100, "escalate", to="quality_team"), good])
    assert "quality_answers.0" in seen and "thanks.0" not in seen


def test_a_public_note_and_its_private_message_count_together_as_the_first_reply():
    scenario = with_branches("{when: {reply_mentions: refund}, goto: thanks}")
    actions = [act(120, "move_to_dm", text="Hi Maria, we've sent you a message."),
               act(120, "dm", text="Hi Maria, a full refund is yours - which store?")]
    assert "thanks.0" in visible(scenario, 600, actions)


def test_scripted_replies_are_graded_for_their_criteria_even_with_a_pretended_score():
    loaded = load_scenario(SHIPPED_SCENARIOS / "tandemy-posted-details.yaml")
    leak = act(120, "reply", "details", score=95,
               text="Hi Denise, we've checked account 40218877 and will ring 07700 900461.")
    [filled] = fill_scores(loaded.scenario, loaded.guidelines, [leak])
    assert filled.score == 95 and filled.verdict == "pass"
    assert "privacy" in filled.broken


def test_every_message_to_a_customer_names_them_so_the_dm_panel_can_thread_it():
    scenario = with_branches("{when: {no_reply_within: 10m}, goto: pile_on}")
    feed = feed_at(scenario, at=600, actions=[
        act(120, "move_to_dm", text="Hi Maria, we've sent you a message."),
        act(120, "dm", text="Hi Maria, which batch is it?")])
    note, message = feed.item("action.0"), feed.item("action.1")
    assert (note["stream"], note["reply_to"], note["to"]) == ("feed", "first_post", "maria")
    assert (message["stream"], message["to"]) == ("dm", "maria")


def test_a_reply_to_a_customers_dm_stays_in_the_thread_with_them():
    scenario = load_scenario(SHIPPED_SCENARIOS / "verveline-mica-crise.yaml").scenario
    feed = feed_at(scenario, at=900, actions=[
        act(840, "reply", "journaliste", text="Bonjour Julien, notre service de presse vous "
            "répondra aujourd'hui.")])
    mine = next(item for item in feed.items if item["from"] == "trainee")
    assert (mine["stream"], mine["to"]) == ("dm", "julien")
