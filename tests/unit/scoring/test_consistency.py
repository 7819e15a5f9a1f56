"""Consistency compares claims about the same thing: any figure within one conversation, only
rules for everyone (delays, fact-set amounts, covered promises) across customers."""

import pytest

from benchmarks.evaluation import load_guidelines_file
from sandbox.core.scenario.models import Expect
from sandbox.core.scoring import EarlierReply, score_reply
from tests.unit.scoring.conftest import SHIPPED
from tests.unit.scoring.runs import EventAttempts, ReplyAttempt, score_run

FACTS = ("A billing fault this month charged some customers twice for their monthly plan.",
         "Every duplicate charge is refunded automatically to the original payment method "
         "within 5 working days; customers do not need to do anything.")
KEZIA_POST = "@TandemyMobile you've taken £18 TWICE this month. That was my food shop money."
OLLIE_POST = "Same here, @TandemyMobile took my £25 twice. Ten minutes and not a word from them."
TO_KEZIA = ("Hi Kezia, we're really sorry. A billing fault charged some customers twice. Your "
            "second £18 will be refunded within 5 working days. - Sam")
TO_OLLIE = ("Hi Ollie, we're so sorry. A billing fault charged you twice. Your second £25 will be "
            "refunded within {days} working days. - Sam")
KEZIA = EarlierReply(TO_KEZIA, event_id="charged_twice", customer="kezia_o", post=KEZIA_POST)


@pytest.fixture(scope="module")
def tandemy():
    return load_guidelines_file(SHIPPED / "tandemy.yaml")


def to_ollie(tandemy, reply, **earlier):
    return score_reply(reply=reply, post=OLLIE_POST, guidelines=tandemy, facts=FACTS,
                       customer_name="Ollie Reed", customer_handle="ollie_r", event_id="me_too",
                       **earlier).criterion("consistency")


def test_another_customers_own_bill_amount_is_not_a_contradiction(tandemy):
    consistency = to_ollie(tandemy, TO_OLLIE.format(days=5), earlier=[KEZIA])
    assert consistency.score == 100


def test_a_bare_earlier_reply_to_someone_else_does_not_make_a_bill_amount_inconsistent(tandemy):
    consistency = to_ollie(tandemy, TO_OLLIE.format(days=5), earlier_replies=[TO_KEZIA])
    assert consistency.score == 100


def test_a_different_refund_delay_for_another_customer_is_a_contradiction(tandemy):
    consistency = to_ollie(tandemy, TO_OLLIE.format(days=10), earlier=[KEZIA])
    assert consistency.score == 50
    assert 'earlier reply said "5 working days"' in consistency.findings[0].message


def test_a_different_amount_to_the_same_customer_is_a_contradiction(tandemy):
    result = score_reply(
        reply="Hi Kezia, sorry again: your second £20 will be refunded within 5 working days.",
        post="When do I get my money back?", guidelines=tandemy, facts=FACTS,
        customer_name="Kezia Osei", customer_handle="kezia_o", event_id="kezia_chases",
        earlier=[KEZIA])
    consistency = result.criterion("consistency")
    assert consistency.score == 50
    assert '"£18"' in consistency.findings[0].message


def test_the_same_thread_counts_as_one_conversation_without_a_customer(tandemy):
    earlier = EarlierReply(TO_KEZIA, event_id="charged_twice")
    result = score_reply(reply="Hi Kezia, your second £20 will be refunded in 5 working days.",
                         post=KEZIA_POST, guidelines=tandemy, facts=FACTS,
                         event_id="charged_twice", earlier=[earlier])
    assert result.criterion("consistency").score == 50


def test_an_amount_the_facts_set_is_compared_across_customers(default_guidelines):
    facts = ("The goodwill credit for the outage is £10 per customer.",)
    earlier = EarlierReply("Hi Ann, sorry: we've added the £10 goodwill credit to your account.",
                           event_id="ann", customer="ann")
    result = score_reply(reply="Hi Bo, sorry: we've added a £15 goodwill credit to your account.",
                         post="No signal all day", guidelines=default_guidelines, facts=facts,
                         customer_name="Bo", event_id="bo", earlier=[earlier])
    assert result.criterion("consistency").score == 50


def test_refusing_another_customer_what_no_fact_covers_is_not_a_contradiction(
        default_guidelines):
    earlier = EarlierReply("Hi Ann, we'll refund the delivery fee on your order.",
                           event_id="ann", customer="ann")
    same_customer = EarlierReply(earlier.text, event_id="ann", customer="bo")
    reply = "Hi Bo, sorry, we can't refund the delivery fee on this order."
    other = score_reply(reply=reply, post="Late again", guidelines=default_guidelines,
                        customer_name="Bo", event_id="bo", earlier=[earlier])
    same = score_reply(reply=reply, post="Late again", guidelines=default_guidelines,
                       customer_name="Bo", event_id="bo", earlier=[same_customer])
    assert other.criterion("consistency").score == 100
    assert same.criterion("consistency").score == 50


def billing_event(event_id, name, handle, post, text, at):
    expect = Expect.model_validate({"reply_within": "10m", "actions": ["reply"]})
    return EventAttempts(event_id=event_id, post=post, expect=expect, topic="pricing",
                         replies=(ReplyAttempt(text, delay_s=60, at=at),),
                         customer_name=name, customer_handle=handle)


def test_a_run_answering_two_customers_their_own_amounts_stays_consistent(tandemy):
    run = score_run(guidelines=tandemy, facts=FACTS, events=[
        billing_event("charged_twice", "Kezia Osei", "kezia_o", KEZIA_POST, TO_KEZIA, 60),
        billing_event("me_too", "Ollie Reed", "ollie_r", OLLIE_POST, TO_OLLIE.format(days=5),
                      200)])
    consistency = next(c for c in run.criteria if c.id == "consistency")
    assert consistency.score == 100


def test_a_run_giving_two_customers_different_refund_delays_is_inconsistent(tandemy):
    run = score_run(guidelines=tandemy, facts=FACTS, events=[
        billing_event("charged_twice", "Kezia Osei", "kezia_o", KEZIA_POST, TO_KEZIA, 60),
        billing_event("me_too", "Ollie Reed", "ollie_r", OLLIE_POST, TO_OLLIE.format(days=10),
                      200)])
    consistency = next(c for c in run.criteria if c.id == "consistency")
    assert consistency.score == 50
    assert consistency.findings[0].message.startswith("Reply 2: ")
    assert run.events[1].result.criterion("consistency").score == 50


def test_a_reply_given_both_bare_and_with_its_conversation_counts_once(tandemy):
    consistency = to_ollie(tandemy, TO_OLLIE.format(days=5), earlier=[KEZIA],
                           earlier_replies=[TO_KEZIA])
    assert consistency.score == 100
    assert consistency.findings[0].message == "Consistent with the 1 earlier reply."
