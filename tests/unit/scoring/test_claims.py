from sandbox.core.scoring import score_reply


def test_an_approved_figure_is_accepted_with_evidence(grade_recall):
    reply = ("Hi Maria, so sorry. Batch 22B is recalled: DM us for a full refund, which reaches "
             "your account within 5 working days.\n- Sam")
    facts = grade_recall(reply).criterion("facts")
    assert facts.score == 100
    assert any("5 working days" in f.message for f in facts.findings)


def test_an_invented_delay_and_voucher_are_not_approved(grade_recall):
    reply = ("Hi Maria, so sorry. Batch 22B is recalled: DM us for a full refund plus a £50 "
             "voucher, paid within 48 hours.\n- Sam")
    facts = grade_recall(reply).criterion("facts")
    flagged = [reply[f.span[0]:f.span[1]] for f in facts.findings if "not" in f.message
               or "no approved" in f.message]
    assert flagged == ["£50", "voucher", "48 hours"]
    assert facts.score == 0


def test_numbers_from_the_customers_own_post_may_be_repeated(grade_recall):
    reply = "Hi Maria, so sorry your 4-year-old was sick. Batch 22B is recalled.\n- Sam"
    assert grade_recall(reply).criterion("facts").score == 100


BILLING_FACTS = ["A billing fault on 3 March took some monthly payments twice."]


def test_a_refusal_is_not_a_promise(default_guidelines):
    result = score_reply(reply="Hi Tom, we can't offer a refund, but please DM us.",
                         post="Charged twice", guidelines=default_guidelines,
                         facts=BILLING_FACTS)
    assert result.criterion("facts").score == 100


def test_clock_times_are_follow_ups_not_facts(default_guidelines):
    result = score_reply(reply="Hi Tom, please DM us and we'll update you by 5pm today.",
                         post="Charged twice", guidelines=default_guidelines,
                         facts=BILLING_FACTS)
    assert result.criterion("facts").score == 100


def test_facts_are_left_out_when_there_is_no_fact_sheet(default_guidelines):
    result = score_reply(reply="Hi Tom, we'll refund you within 3 days. Please DM us.",
                         post="Charged twice", guidelines=default_guidelines)
    assert result.criterion("facts") is None


def test_french_figures_and_promises_are_checked(lumiere):
    reply = ("Bonjour Hugo, nous vous offrons un bon d'achat de 20 € et un remboursement sous "
             "5 jours ouvrés.")
    facts = score_reply(reply=reply, post="Colis en retard", guidelines=lumiere).criterion("facts")
    flagged = [reply[f.span[0]:f.span[1]] for f in facts.findings if "aucun" in f.message
               or "not in" in f.message or "no approved" in f.message]
    assert "bon d'achat" in flagged and "20 €" in flagged
    assert not any("5 jours" in reply[f.span[0]:f.span[1]] for f in facts.findings
                   if "not in" in f.message)


def test_a_different_figure_for_the_same_thing_contradicts_an_earlier_reply(grade_recall):
    earlier = ["Hi Maria, your refund reaches your account within 5 working days. - Sam"]
    same = grade_recall("Hi Maria, the refund reaches your account within 5 working days.\n- Sam",
                        earlier_replies=earlier).criterion("consistency")
    different = grade_recall("Hi Maria, the refund reaches your account within 10 working "
                             "days.\n- Sam", earlier_replies=earlier).criterion("consistency")
    assert same.score == 100
    assert different.score == 50
    assert 'earlier reply said "5 working days"' in different.findings[0].message


def test_refusing_what_was_promised_earlier_is_inconsistent(lumiere):
    result = score_reply(reply="Bonjour Camille, finalement aucun remboursement n'est possible.",
                         post="Rougeurs après la crème", guidelines=lumiere,
                         earlier_replies=["Vous serez remboursée intégralement."])
    assert result.criterion("consistency").score == 50


def test_consistency_is_left_out_without_earlier_replies(grade_recall):
    assert grade_recall("Hi Maria, so sorry.\n- Sam").criterion("consistency") is None


RAIL_FACTS = ("Delay Repay pays 50% of a single fare for a delay of 15 to 29 minutes.",
              "Claims can be made up to 28 days after the journey.")


def grade_rail(reply, guidelines, language="en", post="My train was 20 minutes late, £18.40 "
               "wasted."):
    return score_reply(reply=reply, post=post, guidelines=guidelines, facts=RAIL_FACTS,
                       language=language).criterion("facts")


def test_the_right_number_with_the_wrong_unit_contradicts_the_facts(default_guidelines):
    facts = grade_rail("Hi, you can claim within 28 hours of the journey.", default_guidelines)
    assert facts.critical and facts.findings[0].rule == "harm.contradiction"
    assert "28 hours" in facts.findings[0].message


def test_the_same_delay_in_other_units_matches_the_facts(default_guidelines):
    facts = grade_rail("Hi, claims stay open for 4 weeks after the journey.", default_guidelines)
    assert facts.score == 100


def test_an_amount_worked_out_from_an_approved_rate_is_not_invented(default_guidelines):
    facts = grade_rail("Hi, Delay Repay pays 50% of your fare, so £9.20 back.",
                       default_guidelines)
    assert facts.score == 100
    assert any("worked out" in f.message and "50% of 18.40" in f.message
               for f in facts.findings)


def test_a_rate_other_than_the_approved_one_contradicts_the_facts(default_guidelines):
    facts = grade_rail("Hi, Delay Repay pays 100% of your fare, so £18.40 back.",
                       default_guidelines)
    assert facts.critical and facts.findings[0].rule == "harm.contradiction"
    assert "100%" in facts.findings[0].message
