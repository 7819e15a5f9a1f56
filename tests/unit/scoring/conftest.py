"""Guidelines and a `grade` helper for the scorer's unit tests."""

from pathlib import Path

import pytest

from benchmarks.evaluation import load_guidelines_file
from sandbox.core.scenario.models import Expect
from sandbox.core.scoring import score_reply

DATA = Path(__file__).resolve().parents[2] / "data" / "scorer"
SHIPPED = Path(__file__).resolve().parents[3] / "scenarios" / "guidelines"

RECALL_POST = ("My 4yo was sick all night after @SunnyFoods honey granola.\n"
               "Batch 22B - is this the recalled one?? #SunnyFoods #recall")
RECALL_FACTS = ("Batch 22B of honey granola is recalled since this morning.",
                "Customers get a full refund or a replacement, no receipt needed.")


@pytest.fixture(scope="session")
def sunnyfoods():
    return load_guidelines_file(DATA / "guidelines" / "sunnyfoods.yaml")


@pytest.fixture(scope="session")
def lumiere():
    return load_guidelines_file(DATA / "guidelines" / "lumiere.yaml")


@pytest.fixture(scope="session")
def default_guidelines():
    return load_guidelines_file(SHIPPED / "default.yaml")


@pytest.fixture(scope="session")
def recall_expect():
    return Expect.model_validate({
        "reply_within": "10m", "actions": ["reply", "escalate"], "escalate_to": "quality_team",
        "must_mention": [["sorry", "apologise", "apologize"], "batch 22B"],
        "must_not_say": ["our fault", "calm down"]})


@pytest.fixture
def grade_recall(sunnyfoods, recall_expect):
    """Grade a reply to the recall post with the SunnyFoods guidelines."""

    def grade(reply, **overrides):
        arguments = dict(reply=reply, post=RECALL_POST, guidelines=sunnyfoods,
                         expect=recall_expect, topic="health_safety", delay_s=180,
                         actions=("reply", "escalate"), escalated_to="quality_team",
                         customer_name="Maria Kowalski", customer_handle="maria_k",
                         facts=RECALL_FACTS)
        arguments.update(overrides)
        return score_reply(**arguments)

    return grade


GOOD_RECALL_REPLY = ("Hi Maria, we're so sorry she's unwell. Yes, batch 22B is part of this "
                     "morning's recall. Please DM us so we can arrange a refund and check in on "
                     "her. Your safety is our priority.\n- Sam")
