from sandbox.core.scoring import score_reply
from tests.unit.scoring.conftest import GOOD_RECALL_REPLY, RECALL_POST


def criterion(result, name):
    return result.criterion(name)


def test_a_reply_within_the_expected_delay_gets_full_timeliness(grade_recall):
    result = grade_recall(GOOD_RECALL_REPLY, delay_s=240)
    timeliness = criterion(result, "timeliness")
    assert timeliness.score == 100
    assert timeliness.findings[0].message == "Replied after 4m; expected within 10m."
    assert timeliness.findings[0].rule == "expect.reply_within"


def test_timeliness_falls_to_zero_at_the_guidelines_maximum(grade_recall):
    # health_safety: expected within 10m (scenario), maximum 30m (guidelines)
    assert criterion(grade_recall(GOOD_RECALL_REPLY, delay_s=20 * 60), "timeliness").score == 50
    assert criterion(grade_recall(GOOD_RECALL_REPLY, delay_s=30 * 60), "timeliness").score == 0


def test_without_a_delay_timeliness_is_left_out(grade_recall):
    assert criterion(grade_recall(GOOD_RECALL_REPLY, delay_s=None), "timeliness") is None


def test_guidelines_response_time_applies_when_the_scenario_gives_none(default_guidelines):
    result = score_reply(reply="Hi Tom, sorry, please DM us.", post="Charged twice!",
                         guidelines=default_guidelines, delay_s=30 * 60)
    timeliness = criterion(result, "timeliness")
    assert timeliness.findings[0].rule == "guidelines.response_time.public"
    assert 0 < timeliness.score < 100


def test_jargon_from_the_guidelines_costs_clarity_with_its_span(grade_recall):
    reply = ("Hi Maria, so sorry. Your SKU is flagged in the escalation matrix: batch 22B is "
             "recalled, please DM us. - Sam")
    clarity = criterion(grade_recall(reply), "clarity")
    spans = [f.span for f in clarity.findings if f.rule == "guidelines.voice.jargon"]
    assert [reply[s[0]:s[1]] for s in spans] == ["SKU", "escalation matrix"]
    assert clarity.score <= 60


def test_a_convoluted_sentence_is_less_clear_than_plain_words(default_guidelines):
    plain = "Hi Tom, sorry about the double charge. Please DM us and we'll check it today."
    convoluted = ("Hi Tom, notwithstanding the fact that subscription reconciliation processes "
                  "occasionally generate duplicate authorisations, which are ordinarily reversed "
                  "automatically subsequent to verification, please DM us.")
    def grade(reply):
        result = score_reply(reply=reply, post="Charged twice", guidelines=default_guidelines)
        return criterion(result, "clarity").score

    assert grade(plain) > grade(convoluted)


def test_readability_is_measured_in_french_for_french_guidelines(lumiere):
    reply = ("Bonjour Paul, nonobstant le fait que les procédures de rapprochement des "
             "prélèvements récurrents génèrent occasionnellement des autorisations dupliquées.")
    clarity = criterion(score_reply(reply=reply, post="Prélevé deux fois", guidelines=lumiere),
                        "clarity")
    assert any("reading ease" in f.message for f in clarity.findings)
    assert clarity.score < 100


def test_a_tweet_over_the_limit_is_a_critical_length_failure(grade_recall):
    reply = "Hi Maria, " + "we are so sorry about this. " * 12 + "- Sam"
    result = grade_recall(reply)
    length = criterion(result, "length")
    assert length.score == 0 and length.critical
    assert length.findings[0].span == (280, len(reply))
    assert result.overall <= 20


def test_over_the_limit_on_facebook_is_not_critical(sunnyfoods):
    reply = "Hi Maria, thanks. " * 150
    length = criterion(score_reply(reply=reply, post=RECALL_POST, guidelines=sunnyfoods,
                                   network="facebook"), "length")
    assert length.score == 0 and not length.critical


def test_a_long_but_postable_reply_loses_some_length_points(grade_recall):
    short = criterion(grade_recall(GOOD_RECALL_REPLY), "length").score
    long_reply = GOOD_RECALL_REPLY.replace("Yes,", "Yes, and we completely understand how "
                                           "worrying this is for you,")
    assert len(long_reply) <= 280
    assert criterion(grade_recall(long_reply), "length").score < short == 100


def test_a_list_of_keywords_is_not_a_clear_reply_even_with_every_key_message(grade_recall):
    stuffed = ("Hi Maria, sorry, apologies! Batch 22B recall: refund, replacement, no receipt "
               "needed, DM, safety priority, quality team.\n- Sam")
    result = grade_recall(stuffed)
    clarity = criterion(result, "clarity")
    assert "list of keywords" in clarity.findings[0].message
    assert result.verdict == "fail"  # the words are there, but nothing is said
    assert grade_recall(GOOD_RECALL_REPLY).verdict == "pass"


def test_repeating_the_same_word_costs_clarity_and_points_at_it(grade_recall):
    reply = ("Hi Maria, sorry, so sorry, really sorry. Batch 22B is recalled, batch 22B is "
             "recalled. Please DM us.\n- Sam")
    clarity = criterion(grade_recall(reply), "clarity")
    repeated = [f for f in clarity.findings if f.rule == "clarity.repetition"]
    assert len(repeated) == 1
    assert reply[repeated[0].span[0]:repeated[0].span[1]].lower() == "sorry"
    assert clarity.score < 100


def test_natural_replies_are_not_taken_for_keyword_lists(grade_recall, lumiere):
    for reply in (GOOD_RECALL_REPLY,
                  "Hi Maria, so sorry. Batch 22B is recalled - please DM us now so we can "
                  "help.\n- Sam"):
        rules = [f.rule for f in criterion(grade_recall(reply), "clarity").findings]
        assert "clarity.keyword_list" not in rules and "clarity.repetition" not in rules
    french = ("Bonjour Camille, nous sommes vraiment désolés. Le lot 4417 est en cours de "
              "vérification : écrivez-nous en message privé pour un remboursement.")
    stuffed = "Camille désolés excuses lot 4417 vérification remboursement message privé sécurité"
    def verdict(reply):
        return score_reply(reply=reply, post="Rougeurs après la crème, lot 4417",
                           guidelines=lumiere, customer_name="Camille Durand").explanation

    assert "list of keywords" not in verdict(french)
    assert "list of keywords" in verdict(stuffed)


def test_a_reply_in_english_to_a_french_brand_is_told_to_use_the_customers_language(lumiere):
    result = score_reply(reply="Thanks for your message, we will look into it for you today.",
                         post="Rougeurs après la crème, lot 4417", guidelines=lumiere)
    clarity = criterion(result, "clarity")
    assert "Written in English, but this brand answers in French" in clarity.findings[0].message
    assert result.verdict == "fail"
