from sandbox.core.scoring import score_reply
from tests.unit.scoring.conftest import GOOD_RECALL_REPLY

BILLING = ("Charged twice for my subscription this month. Nobody answers the phone. "
           "Who do I talk to?")


def grade_billing(guidelines, reply, **kwargs):
    kwargs.setdefault("customer_name", "Tom Becker")
    return score_reply(reply=reply, post=BILLING, guidelines=guidelines, **kwargs)


def test_apology_and_acknowledgement_earn_empathy_when_the_customer_is_upset(grade_recall):
    empathy = grade_recall(GOOD_RECALL_REPLY).criterion("empathy")
    assert empathy.score == 100
    cold = grade_recall("Hi Maria, batch 22B is recalled. DM us.\n- Sam").criterion("empathy")
    assert cold.score <= 10


def test_a_cheerful_tone_to_an_upset_customer_costs_empathy(default_guidelines):
    cheerful = grade_billing(default_guidelines,
                             "Hi Tom, great news, DM us and have an amazing day!")
    assert cheerful.criterion("empathy").score == 0
    assert any(f.rule == "lexicon.cheerful" for f in cheerful.criterion("empathy").findings)


def test_empathy_is_left_out_when_the_customer_is_happy(sunnyfoods):
    result = score_reply(reply="Hi Priya, thank you!", post="The new oat bars are incredible 😍",
                         guidelines=sunnyfoods, topic="praise")
    assert result.criterion("empathy") is None


def test_french_upset_is_read_from_a_french_word_list(lumiere):
    result = score_reply(reply="Bonjour Hugo, désolés, nous comprenons votre déception : nous "
                         "relançons le transporteur aujourd'hui.",
                         post="Toujours rien reçu, franchement déçu.", guidelines=lumiere)
    assert result.criterion("empathy").score >= 90


def test_blaming_or_lecturing_the_customer_fails_politeness(default_guidelines):
    polite = grade_billing(default_guidelines, "Hi Tom, sorry about that, and thanks for "
                           "flagging it. Could you DM us?").criterion("politeness")
    rude = grade_billing(default_guidelines, "Hi Tom, obviously you should have checked your "
                         "statement. DM us.")
    assert polite.score >= 95
    politeness = rude.criterion("politeness")
    assert {"harm.blame", "harm.condescension"} <= {f.rule for f in politeness.findings}
    assert politeness.critical and rude.verdict == "fail"


def test_bare_orders_cost_politeness_but_please_softens_them(default_guidelines):
    bare = grade_billing(default_guidelines, "Check your statement. Wait for our reply.")
    soft = grade_billing(default_guidelines,
                         "Please check your statement. Could you wait for our reply?")
    assert bare.criterion("politeness").score < soft.criterion("politeness").score


def test_insulting_the_customer_is_a_critical_politeness_failure(default_guidelines):
    result = grade_billing(default_guidelines, "Hi Tom, don't be an idiot, DM us.")
    assert result.criterion("politeness").critical
    assert result.overall <= 20


def test_talking_about_the_customers_problem_beats_talking_about_us(default_guidelines):
    focused = grade_billing(default_guidelines, "Hi Tom, sorry you were charged twice for your "
                            "subscription. Could you DM us so you get it sorted?")
    about_us = grade_billing(default_guidelines, "Hi, we are proud of our award-winning service "
                             "and our team works hard on billing. We will look at your charge.")
    assert focused.criterion("customer_focus").score >= 80
    assert about_us.criterion("customer_focus").score <= 20
    rules = {f.rule for f in about_us.criterion("customer_focus").findings}
    assert "lexicon.self_promotion" in rules


def test_a_concrete_next_step_earns_resolution_and_a_vague_one_does_not(default_guidelines):
    concrete = grade_billing(default_guidelines, "Hi Tom, sorry. Which plan are you on? DM us and "
                             "we'll sort it out today.").criterion("resolution")
    vague = grade_billing(default_guidelines, "Hi Tom, sorry about the double charge on your "
                          "subscription. We'll look into it.").criterion("resolution")
    assert concrete.score == 100
    assert vague.score == 0 and vague.findings[0].message.startswith("Only a vague promise")


def test_resolution_is_left_out_for_praise(sunnyfoods):
    result = score_reply(reply="Hi Priya, thank you!", post="Love the oat bars",
                         guidelines=sunnyfoods, topic="praise")
    assert result.criterion("resolution") is None


def test_asking_for_an_email_in_a_public_reply_is_a_critical_privacy_failure(default_guidelines):
    reply = "Hi Tom, sorry. Please reply here with your email address so we can check."
    result = grade_billing(default_guidelines, reply)
    privacy = result.criterion("privacy")
    assert privacy.score == 0 and privacy.critical
    assert reply[privacy.findings[0].span[0]:privacy.findings[0].span[1]] == "email address"
    assert result.overall <= 20


def test_asking_for_an_email_by_dm_is_fine(default_guidelines):
    result = grade_billing(default_guidelines, "Hi Tom, sorry. Please DM us your email address.")
    assert result.criterion("privacy").score == 100


def test_asking_for_personal_data_inside_a_dm_is_fine(default_guidelines):
    result = grade_billing(default_guidelines, "Hi Tom, what's your order number and email?",
                           channel="dm")
    assert result.criterion("privacy").score == 100
    assert not result.criterion("privacy").critical


def test_repeating_a_customers_phone_number_in_public_is_critical(default_guidelines):
    reply = "Hi Tom, we'll call you back on 07700 900123 today."
    privacy = grade_billing(default_guidelines, reply).criterion("privacy")
    assert privacy.critical
    assert reply[privacy.findings[0].span[0]:privacy.findings[0].span[1]] == "07700 900123"


def test_the_french_privacy_rule_spots_a_public_request(lumiere):
    result = score_reply(reply="Bonjour Hugo, quel est votre numéro de commande ? Répondez ici.",
                         post="Colis en retard", guidelines=lumiere)
    assert result.criterion("privacy").critical


def test_advice_about_the_customers_phone_or_card_is_not_a_request_for_their_data(
        default_guidelines):
    replies = ["Hi Tom, sorry, we know you run your business from your phone.",
               "Hi Tom, no card details were involved, so you don't need to cancel your card.",
               "Hi Tom, could you restart your phone and check your email for our message?"]
    for reply in replies:
        privacy = grade_billing(default_guidelines, reply).criterion("privacy")
        assert not privacy.critical, reply


def test_asking_for_a_phone_number_or_card_details_in_public_is_still_critical(
        default_guidelines):
    replies = ["Hi Tom, could you send us your phone number so we can call?",
               "Hi Tom, please reply here with your card details and we'll refund you.",
               "Hi Tom, sorry. Your order number?"]
    for reply in replies:
        privacy = grade_billing(default_guidelines, reply).criterion("privacy")
        assert privacy.critical, reply


def test_saying_the_brand_does_not_need_the_customers_password_is_not_asking_for_it(
        default_guidelines):
    reply = "Hi Tom, we will never need your password: ignore any message asking for it."
    assert not grade_billing(default_guidelines, reply).criterion("privacy").critical


def test_the_expected_escalation_must_reach_the_right_team(grade_recall):
    right = grade_recall(GOOD_RECALL_REPLY).criterion("action")
    wrong = grade_recall(GOOD_RECALL_REPLY, escalated_to="marketing").criterion("action")
    none = grade_recall(GOOD_RECALL_REPLY, actions=("reply",),
                        escalated_to=None).criterion("action")
    assert (right.score, wrong.score, none.score) == (100, 50, 0)
    assert wrong.findings[0].message == "Escalated to marketing; this needed the quality team."


def test_the_guidelines_topic_protocol_is_an_expected_action(sunnyfoods):
    result = score_reply(reply="Hi, sorry.", post="I found glass in my cereal!",
                         guidelines=sunnyfoods, topic="health_safety")
    action = result.criterion("action")
    assert action.score == 0
    assert action.findings[0].rule == "guidelines.topics.health_safety.must"


def test_saying_the_conversation_continues_by_dm_without_opening_one_earns_half(
        default_guidelines):
    from sandbox.core.scenario.models import Expect

    expect = Expect.model_validate({"actions": ["reply", "move_to_dm"]})

    def action(reply, *actions):
        return grade_billing(default_guidelines, reply, expect=expect,
                             actions=actions).criterion("action").score

    said = "Hi Tom, sorry. We'll continue by DM to sort the double charge."
    assert action(said, "reply") == 50
    assert action(said, "reply", "move_to_dm") == 100
    assert action("Hi Tom, sorry. Please DM us so we can sort it.", "reply") == 100


def test_action_is_left_out_when_only_a_reply_is_expected(default_guidelines):
    assert grade_billing(default_guidelines, "Hi Tom, sorry.").criterion("action") is None


def test_an_email_address_is_reported_as_an_email_not_also_as_a_postal_address(
        default_guidelines):
    reply = "Hi Tom, please send us your email address here."
    privacy = grade_billing(default_guidelines, reply).criterion("privacy")
    assert [f.message.split(" in ")[0] for f in privacy.findings] == ["Asks for an email address"]


def test_an_email_address_is_not_a_postal_address_even_when_only_addresses_are_guarded(
        default_guidelines):
    privacy = default_guidelines.privacy.model_copy(update={"never_public": ["address", "phone"]})
    guidelines = default_guidelines.model_copy(update={"privacy": privacy})
    result = score_reply(reply="Hi Tom, please reply here with your email address.",
                         post="Charged twice", guidelines=guidelines)
    assert [f.message for f in result.criterion("privacy").findings] == [
        "No personal data asked for or shown in public."]


def test_a_mailing_address_is_a_postal_address_not_an_email(default_guidelines):
    result = score_reply(reply="Hi Tom, please reply here with your mailing address.",
                         post="Charged twice", guidelines=default_guidelines)
    assert [f.message.split(" in ")[0] for f in result.criterion("privacy").findings] == [
        "Asks for a postal address"]


def test_asking_for_an_email_and_a_home_address_gives_one_finding_each(default_guidelines):
    result = score_reply(reply="Hi Tom, what are your email address and home address?",
                         post="Charged twice", guidelines=default_guidelines)
    assert [f.message.split(" in ")[0] for f in result.criterion("privacy").findings] == [
        "Asks for an email address", "Asks for a postal address"]


def test_a_french_electronic_address_is_an_email(lumiere):
    result = score_reply(reply="Bonjour Hugo, quelle est votre adresse électronique ?",
                         post="Colis en retard", guidelines=lumiere)
    assert [f.message.split(" in ")[0] for f in result.criterion("privacy").findings] == [
        "Asks for an email address"]


def test_the_expected_expert_is_named_as_the_scenario_names_it():
    from sandbox.core.grading import grade_action
    from sandbox.core.replay import TraineeAction
    from sandbox.core.scenario import SHIPPED_GUIDELINES, load_scenario

    loaded = load_scenario(SHIPPED_GUIDELINES.parent / "verveline-rougeurs.yaml")
    reply = TraineeAction(at=100, action="reply", event="rougeurs", text="Bonjour, désolés.")
    action = grade_action(loaded.scenario, loaded.guidelines, earlier=[], action=reply) \
        .criterion("action")
    assert action.findings[0].message == "Not escalated: this needed Qualité & Sécurité."
