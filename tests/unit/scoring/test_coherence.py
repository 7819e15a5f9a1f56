from sandbox.core.scoring import score_reply
from tests.unit.scoring.conftest import GOOD_RECALL_REPLY


def test_must_mention_items_are_found_with_their_spans(grade_recall):
    key = grade_recall(GOOD_RECALL_REPLY).criterion("key_messages")
    assert key.score == 100
    found = [GOOD_RECALL_REPLY[f.span[0]:f.span[1]] for f in key.findings if f.span]
    assert found == ["sorry", "batch 22B", "safety is our priority"]


def test_a_missing_key_message_costs_its_share_and_says_which(grade_recall):
    reply = "Hi Maria, so sorry. Please DM us so we can help. Your safety is our priority.\n- Sam"
    key = grade_recall(reply).criterion("key_messages")
    assert key.score == 67
    assert any(f.message == 'Does not mention "batch 22B".' for f in key.findings)


def test_key_messages_match_tolerantly(grade_recall):
    reply = "Hi Maria, our apologies. BATCH 22B is recalled; safety comes first.\n- Sam"
    assert grade_recall(reply).criterion("key_messages").score == 100


def test_the_topic_key_messages_of_the_guidelines_are_required_too(grade_recall):
    without = "Hi Maria, so sorry. Batch 22B is recalled. DM us.\n- Sam"
    key = grade_recall(without).criterion("key_messages")
    assert any(f.rule == "guidelines.topics.health_safety.key_messages" and "Does not" in f.message
               for f in key.findings)


def test_key_messages_are_left_out_when_nothing_is_required(default_guidelines):
    result = score_reply(reply="Hi Tom, sorry!", post="Charged twice",
                         guidelines=default_guidelines)
    assert result.criterion("key_messages") is None


def test_a_critical_forbidden_phrase_scores_zero_and_caps_the_overall(grade_recall):
    reply = GOOD_RECALL_REPLY.replace("Hi Maria,", "Hi Maria, please calm down,")
    result = grade_recall(reply)
    forbidden = result.criterion("forbidden")
    assert forbidden.score == 0 and forbidden.critical
    spans = [f.span for f in forbidden.findings]
    assert all(reply[s[0]:s[1]].lower() == "calm down" for s in spans)
    assert {f.rule for f in forbidden.findings} == {"expect.must_not_say", "guidelines.forbidden"}
    assert result.overall <= 20 and result.verdict == "fail"


def test_a_forbidden_regex_matches_with_its_reason(grade_recall):
    reply = "Hi Maria, that is not our problem.\n- Sam"
    finding = grade_recall(reply).criterion("forbidden").findings[0]
    assert finding.message == '"not our problem" is forbidden: blames the customer.'
    assert finding.span == (18, 33)


def test_a_topic_forbidden_phrase_only_applies_on_that_topic(grade_recall):
    reply = "Hi Maria, so sorry, this was probably caused by a bug. Batch 22B is recalled.\n- Sam"
    on_topic = grade_recall(reply).criterion("forbidden").findings
    off_topic = grade_recall(reply, topic="delivery").criterion("forbidden").findings
    assert any(f.message.startswith('"probably caused by" is forbidden') for f in on_topic)
    assert not any("is forbidden" in f.message for f in off_topic)


def test_guessing_at_a_cause_fails_on_every_topic_of_a_brand_that_forbids_it(grade_recall):
    reply = "Hi Maria, so sorry, this was probably caused by a bug. Batch 22B is recalled.\n- Sam"
    off_topic = grade_recall(reply, topic="delivery").criterion("forbidden")
    assert off_topic.critical
    assert [f.rule for f in off_topic.findings] == ["harm.speculation"]


def test_a_non_critical_forbidden_phrase_costs_points_without_the_cap(grade_recall):
    reply = GOOD_RECALL_REPLY.replace("Yes,", "No comment on the cause, but")
    result = grade_recall(reply)
    assert result.criterion("forbidden").score == 50
    assert not result.criterion("forbidden").critical and result.overall > 20


def test_the_voice_wants_a_greeting_by_name(grade_recall):
    greeted = grade_recall(GOOD_RECALL_REPLY).criterion("voice")
    assert greeted.score == 100
    bare = grade_recall(GOOD_RECALL_REPLY.replace("Hi Maria, w", "W")).criterion("voice")
    assert bare.score == 70
    assert any(f.rule == "guidelines.voice.greeting" and "No greeting" in f.message
               for f in bare.findings)


def test_the_voice_checks_the_sign_off_on_the_last_line(grade_recall):
    voice = grade_recall(GOOD_RECALL_REPLY.replace("\n- Sam", "")).criterion("voice")
    assert any(f.rule == "guidelines.voice.sign_off" for f in voice.findings)
    assert voice.score == 85


def test_too_many_exclamation_marks_emoji_and_capitals_cost_voice(grade_recall):
    reply = "Hi Maria, SO SORRY!!! Batch 22B is RECALLED 😢😢\n- Sam"
    voice = grade_recall(reply).criterion("voice")
    rules = {f.rule for f in voice.findings}
    assert {"guidelines.voice.max_exclamations", "guidelines.voice.emoji",
            "voice.all_caps"} <= rules
    assert voice.score < 50


def test_the_brand_speaks_as_we_not_i(grade_recall):
    voice = grade_recall(GOOD_RECALL_REPLY.replace("Please DM us", "DM me")).criterion("voice")
    finding = next(f for f in voice.findings if f.rule == "guidelines.voice.person")
    assert finding.message.startswith('Speaks as "me"')


def test_known_acronyms_from_the_post_are_not_shouting(grade_recall):
    voice = grade_recall("Hi Maria, so sorry, batch 22B is recalled. DM us.\n- Sam",
                         post="Is batch 22B OK? #RECALL").criterion("voice")
    assert not any(f.rule == "voice.all_caps" for f in voice.findings)


def test_evasive_formulas_lose_transparency_on_sensitive_topics(grade_recall):
    open_reply = grade_recall(GOOD_RECALL_REPLY).criterion("transparency")
    evasive = grade_recall("Hi Maria, we cannot discuss recalls here. Please DM us.\n- Sam")
    assert open_reply.score >= 80
    assert evasive.criterion("transparency").score == 0
    assert evasive.criterion("transparency").findings[0].rule == "lexicon.evasive"


def test_transparency_only_applies_to_eco_ethics_and_health_safety(grade_recall):
    assert grade_recall(GOOD_RECALL_REPLY, topic="delivery").criterion("transparency") is None
    assert grade_recall(GOOD_RECALL_REPLY, topic="eco").criterion("transparency") is not None


def test_french_evasion_is_recognised(lumiere):
    result = score_reply(reply="Bonjour Léa, nous ne pouvons pas commenter nos méthodes.",
                         post="Testez-vous sur les animaux ?", guidelines=lumiere, topic="ethics",
                         customer_name="Léa Bernard")
    assert result.criterion("transparency").score == 0


def _tandemy():
    from sandbox.core.scenario import SHIPPED_GUIDELINES, load_scenario

    loaded = load_scenario(SHIPPED_GUIDELINES.parent / "tandemy-posted-details.yaml")
    return loaded.scenario, loaded.guidelines


def test_a_private_message_is_not_asked_to_say_what_the_public_note_that_moved_it_said():
    from sandbox.core.grading import grade_action
    from sandbox.core.replay import TraineeAction

    scenario, guidelines = _tandemy()
    note = TraineeAction(at=150, action="move_to_dm", event="details",
                         text="Hi Denise, we've sent you a private message for your privacy. "
                              "- Casey")
    message = TraineeAction(at=250, action="dm", event="details",
                            text="Hi Denise, we'll remove the roaming bundle charge today and "
                                 "refund it to your card within 5 working days. - Casey")
    key = grade_action(scenario, guidelines, earlier=[note], action=message) \
        .criterion("key_messages")
    said = [f for f in key.findings if "earlier in this conversation" in f.message]
    assert key.score == 100 and said and said[0].tone == "good" and said[0].span is None
    assert '"private message"' in said[0].message
    # without the note, the same private message never said it
    alone = grade_action(scenario, guidelines, earlier=[], action=message)
    assert alone.criterion("key_messages").score < 100
    # and a public reply is judged on its own words, whatever was said before
    public = TraineeAction(at=250, action="reply", event="details", text=message.text)
    assert grade_action(scenario, guidelines, earlier=[note], action=public) \
        .criterion("key_messages").score < 100


def test_a_message_both_the_event_and_its_topic_require_is_asked_for_once():
    from sandbox.core.grading import grade_action
    from sandbox.core.replay import TraineeAction
    from sandbox.core.scenario import SHIPPED_GUIDELINES, load_scenario

    loaded = load_scenario(SHIPPED_GUIDELINES.parent / "valemont-thanks-conductor.yaml")
    reply = TraineeAction(at=60, action="reply", event="shout_out",
                          text="Hi, so glad Dev made your journey easier. We will pass your "
                               "kind words on to him and his team today. - Sam")
    key = grade_action(loaded.scenario, loaded.guidelines, earlier=[], action=reply) \
        .criterion("key_messages")
    asked = [f.message for f in key.findings if '"thank"' in f.message]
    assert len(asked) == 1 and asked[0].startswith("Does not mention")


def test_a_sign_off_at_the_end_of_a_one_line_reply_counts():
    from sandbox.core.grading import grade_action
    from sandbox.core.replay import TraineeAction

    scenario, guidelines = _tandemy()

    def sign_off(text):
        action = TraineeAction(at=100, action="reply", event="details", text=text)
        voice = grade_action(scenario, guidelines, earlier=[], action=action).criterion("voice")
        return next(f for f in voice.findings if f.rule == "guidelines.voice.sign_off")

    body = "Hi Denise, for your privacy we've sent you a private message to sort the charge today."
    on_its_line, at_the_end = sign_off(body + "\n- Casey"), sign_off(body + " - Casey")
    assert on_its_line.tone == at_the_end.tone == "good"
    assert at_the_end.message == 'Signs off as the guidelines ask: "- Casey".'
    assert sign_off(body + " Casey").tone == "bad"  # a name alone is not the brand's sign-off
