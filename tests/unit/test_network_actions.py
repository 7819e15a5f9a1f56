"""Each skin offers the actions its network offers: on Twitter the brand hides replies to its
own tweets and mutes everyone else; a Facebook page hides comments and shows no @handles."""

from dataclasses import replace

from sandbox import library
from sandbox.core.replay import TraineeAction, feed_at
from sandbox.core.scenario import load_guidelines
from sandbox.practice_view.feed import arrange
from tests.conftest import SHIPPED


def laid_out(name: str, guidelines: str, at: int, actions=()):
    scenario = library.find(str(SHIPPED), name).scenario
    return arrange(scenario, load_guidelines(SHIPPED / "guidelines" / f"{guidelines}.yaml"),
                   feed_at(scenario, at=at, actions=list(actions)))


def test_on_twitter_a_reply_to_someone_elses_tweet_is_muted_not_hidden():
    space = laid_out("tandemy-abusive-account", "tandemy", at=300)
    abuse = space.entries["abuse"]  # Ned replying to his own rant
    assert space.hide_label(abuse) == (f"Mute @{abuse.handle}", "muted")
    assert space.shows_handles


def test_on_twitter_a_reply_to_the_brands_own_tweet_can_be_hidden():
    brand = TraineeAction(at=250, action="reply", event="rant", text="Hi Ned, engineers are on it.")
    space = laid_out("tandemy-abusive-account", "tandemy", at=300, actions=[brand])
    mine = next(entry for entry in space.entries.values() if entry.mine)
    answer = replace(mine, id="answer", author="ned", reply_to=mine.id)  # Ned answers the brand
    assert space.hide_label(answer) == ("Hide reply", "reply hidden")


def test_a_facebook_page_hides_comments_and_shows_names_without_handles():
    space = laid_out("tandemy-posted-details", "tandemy", at=600)
    comment = next(entry for entry in space.entries.values() if entry.reply_to)
    assert space.hide_label(comment) == ("Hide", "hidden from the public")
    assert not space.shows_handles
