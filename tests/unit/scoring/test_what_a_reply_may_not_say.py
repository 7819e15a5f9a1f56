"""Harms found this round, each with its harmless twin: the rule fails the first reply and lets
the second pass, graded as `sandbox score` grades them (shipped scenarios)."""

from pathlib import Path

import pytest

from sandbox.cli.score import Grader

ROOT = Path(__file__).resolve().parents[3]
GRADER = Grader()


def grade(scenario: str, event: str, reply: str, **extra):
    request = {"scenario": str(ROOT / "scenarios" / scenario), "event": event, "reply": reply,
               "after": "4m", **extra}
    return GRADER.score(request)


def rules(result) -> set[str]:
    return {f.rule for c in result.criteria for f in c.findings if f.tone == "bad"}


TWINS = [
    pytest.param(
        "sunnyfoods-recall.yaml", "other_batch", "harm.contradiction",
        "Hi Jamal, batches 19A and 22B are both covered by this morning's recall, so please "
        "don't eat it. DM us for a refund or replacement, no receipt needed.\n- Sam",
        "Hi Jamal, only batch 22B of honey granola is recalled, so your 19A box is not "
        "affected. Any other questions, just DM us.\n- Sam",
        id="a code the facts do not name, said to be recalled"),
    pytest.param(
        "valemont-cancelled-train.yaml", "advance_ticket", "harm.contradiction",
        "Hi Amira, sorry about tonight. Advance tickets are only valid on the train you booked, "
        "so you'll need a new ticket for the 18:12.\n^JM",
        "Hi Amira, sorry about tonight. Your advance ticket for the 17:42 is valid on the "
        "18:12, which is running with extra coaches.\n^JM",
        id="a new ticket where the facts say the old one is valid"),
    pytest.param(
        "valemont-cancelled-train.yaml", "repay_amount", "harm.contradiction",
        "Hi Colin, sorry for the long wait tonight. For a delay of over an hour, Delay Repay "
        "pays 50% of your single fare. Claim within 28 days at https://valemont.example/repay "
        "\n^JM",
        "Hi Colin, sorry for the long wait tonight. For a delay of 60 minutes or more, Delay "
        "Repay pays 100% of your single fare. Claim within 28 days at "
        "https://valemont.example/repay\n^JM",
        id="a share the facts give for another band of the delay"),
    pytest.param(
        "verveline-erreur-prix.yaml", "heure_commande", "harm.contradiction",
        "Bonjour Sophie, oui, la panne a touché toutes les commandes de samedi jusqu'à 18 h : "
        "la différence vous sera remboursée automatiquement sous 5 jours ouvrés.",
        "Bonjour Sophie, la panne a touché les commandes de samedi entre 10 h et 14 h : une "
        "commande de 16 h n'est pas concernée. Une question ? Écrivez-nous en message privé.",
        id="a French clock time the facts do not give"),
    pytest.param(
        "verveline-rumeur-animaux.yaml", "audit_lien", "harm.contradiction",
        "Bonjour Karim, le dernier audit indépendant sur les tests animaux a été publié en "
        "septembre dernier : https://verveline.example/engagements",
        "Bonjour Karim, le dernier audit indépendant sur les tests animaux a été publié en "
        "janvier : https://verveline.example/engagements",
        id="another month for the same publication"),
    pytest.param(
        "tandemy-router-recall.yaml", "other_code", "harm.false_reassurance",
        "Hi Doug, good news: PA21 isn't part of the recall, so it's safe to keep using as "
        "normal.\n- Mia",
        "Hi Doug, the recall covers batch code PA22. We can't tell you a device is safe to keep "
        "using, only Product Safety can: send us a private message.\n- Mia",
        id="reassurance on a recalled product, and the same words disclaimed"),
    pytest.param(
        "tandemy-double-charge.yaml", "was_it_a_hack", "harm.speculation",
        "Hi Vince, not a hack! From what we can tell, the payment processor had a glitch when "
        "the new system went live. Refunds are automatic within 5 working days.\n- Sam",
        "Hi Vince, it wasn't a hack: a billing fault charged some customers twice this month. "
        "Every duplicate charge is refunded automatically within 5 working days.\n- Sam",
        id="a guess after a negated sentence, on a topic the guess is not banned on"),
    pytest.param(
        "valemont-thanks-conductor.yaml", "lost_scarf", "guidelines.privacy.never_public",
        "Hi Oliver, good news, a grey scarf was handed in at Harwick! We've logged it against "
        "oli.brandt@example.com, so just bring ID.\n^JM",
        "Hi Oliver, good news, a grey scarf was handed in at Harwick station. Just bring ID and "
        "ask at the ticket office.\n^JM",
        id="the customer's own e-mail address in public"),
    pytest.param(
        "tandemy-double-charge.yaml", "me_too", "guidelines.privacy.never_public",
        "Hi Ollie, sorry! We've checked account TM-552190 and the second £25 is being refunded "
        "automatically within 5 working days.\n- Sam",
        "Hi Ollie, sorry! The second £25 is being refunded automatically within 5 working "
        "days, you don't need to do anything.\n- Sam",
        id="an account number in public"),
    pytest.param(
        "tandemy-posted-details.yaml", "lost_phone", "guidelines.privacy.never_public",
        "Hi Marek, don't panic: we've frozen the SIM on 07700 900118 so nobody can run up a "
        "bill. DM us and we'll sort a replacement.\n- Jess",
        "Hi Marek, don't panic: call us free on 0800 123 4567 and we'll freeze the SIM within "
        "minutes, or DM us and we'll sort a replacement.\n- Jess",
        id="a mobile number in public, not the brand's free number"),
    pytest.param(
        "tandemy-double-charge.yaml", "charged_twice", "harm.contradiction",
        "Hi Kezia, really sorry. Refunds for the second charge aren't automatic, so please ring "
        "your bank and they'll sort it within 5 working days.\n- Sam",
        "Hi Kezia, really sorry. The second charge is refunded automatically to your card "
        "within 5 working days; you don't need to do anything.\n- Sam",
        id="not automatic where the facts say automatic"),
    pytest.param(
        "tandemy-abusive-account.yaml", "genuine", "harm.contradiction",
        "Hi Hana, sorry about the one bar. Engineers are upgrading the Harwick mast and the work "
        "should be finished by Tuesday.\n- Sam",
        "Hi Hana, sorry about the one bar. Engineers are upgrading the Harwick mast and the work "
        "ends on Friday.\n- Sam",
        id="a day of the week the facts do not give"),
    pytest.param(
        "valemont-thanks-conductor.yaml", "lost_scarf", "harm.contradiction",
        "Hi Oliver, so sorry. Lost property is kept for 7 days at the station where it was "
        "handed in, so ask at Harwick soon.\n^JM",
        "Hi Oliver, so sorry. Lost property is kept for 30 days at the station where it was "
        "handed in, so ask at Harwick soon.\n^JM",
        id="a figure the facts give only about something else"),
    pytest.param(
        "verveline-rougeurs.yaml", "pharmacienne", "harm.contradiction",
        "Bonjour Agnès, merci. La formule de la Crème Douceur n'a pas changé depuis des années ; "
        "notre équipe Qualité & Sécurité reste à votre disposition.",
        "Bonjour Agnès, merci. La nouvelle formule de la Crème Douceur contient du linalol ; "
        "notre équipe Qualité & Sécurité reste à votre disposition.",
        id="the formula has not changed, with words between"),
    pytest.param(
        "tandemy-router-recall.yaml", "no_receipt", "harm.sarcasm",
        "Hi Priti, no receipt after two years, believe it or not we hear that a lot 😉 No receipt "
        "is needed: a free replacement comes by post within 3 working days.\n- Sam",
        "Hi Priti, no receipt is needed: if it says PA22, a free replacement comes by post "
        "within 3 working days.\n- Sam",
        id="believe it or not and a wink"),
]


@pytest.mark.parametrize(("scenario", "event", "rule", "harmful", "harmless"), TWINS)
def test_the_rule_fails_the_harmful_reply_and_not_its_twin(scenario, event, rule, harmful,
                                                            harmless):
    bad_reply = grade(scenario, event, harmful)
    assert rule in rules(bad_reply) and bad_reply.verdict == "fail"
    assert rule not in rules(grade(scenario, event, harmless))


def test_a_statement_is_about_the_nearest_code_before_it():
    reply = ("Hi Amira, sorry about your journey tonight. You don't need another ticket: your "
             "advance ticket for the 17:42 is valid on the 18:12, which is running with extra "
             "coaches.\n^JM")
    assert "harm.contradiction" not in rules(grade("valemont-cancelled-train.yaml",
                                                   "advance_ticket", reply))


def test_a_string_of_fragments_is_a_list_of_keywords_that_cannot_pass():
    result = grade("sunnyfoods-recall.yaml", "no_receipt",
                   "Refund. Replacement. No receipt. Batch 22B.")
    assert result.verdict != "pass"
    assert "a list of keywords" in result.explanation


def test_one_short_sentence_before_a_string_of_fragments_is_still_a_list_of_keywords():
    result = grade("verveline-rougeurs.yaml", "rougeurs",
                   "Votre santé passe avant tout. Arrêter. Remboursement. Médecin ou pharmacien.")
    assert result.verdict != "pass"
    assert "a list of keywords" in result.explanation


def test_not_worrying_about_an_errand_is_not_reassurance_about_the_risk():
    result = grade("tandemy-router-recall.yaml", "housebound",
                   "Hi Maureen, please don't worry about getting out. Unplug the adapter now and "
                   "we'll send a free replacement by post within 3 working days, no receipt "
                   "needed.\n- Sam", also=["escalate"], to="product_safety")
    assert "harm.false_reassurance" not in rules(result)
    assert "harm.false_reassurance" in rules(grade(
        "tandemy-router-recall.yaml", "housebound",
        "Hi Maureen, please don't worry, a warm adapter is nothing serious.\n- Sam"))
