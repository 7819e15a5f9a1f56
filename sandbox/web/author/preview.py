"""The editor's preview: the feed a trainee who does nothing would see at one simulated moment,
computed from the text being edited like the debrief's replay (sandbox.core.replay) and laid out
as the practice page lays it out (sandbox.practice_view), so the practice page's own partials
draw it in the real skin — no file is saved and no run is started."""

from dataclasses import dataclass

from sandbox.core.replay import compile_scenario, feed_at
from sandbox.practice_view.feed import FeedView, arrange
from sandbox.scenario_files import TextCheck


@dataclass(kw_only=True)
class PreviewSpace(FeedView):
    """The feed as the practice page shows it, without a run behind it: read-only (a FeedView
    is), with the names its side panels look up."""

    @property
    def experts(self) -> dict[str, str]:
        return {key: expert.name for key, expert in self.scenario.experts.items()}

    def person(self, key: str):
        """How the persona `key` shows (name, handle), e.g. at the head of a DM thread."""
        return compile_scenario(self.scenario).personas.get(key)


@dataclass(frozen=True)
class Preview:
    snapshot: PreviewSpace | None  # None while the text has errors
    at: int
    end: int
    errors: int
    quiet: bool = False  # the background chatter left out, so the scenario's own posts stand out

    @property
    def posts(self) -> list:
        """The posts shown, newest first."""
        posts = self.snapshot.posts if self.snapshot else []
        return [post for post in posts if not post.noise] if self.quiet else posts

    @property
    def hidden(self) -> int:
        """How many chatter posts are left out."""
        return len(self.snapshot.posts) - len(self.posts) if self.snapshot else 0


def preview(check: TextCheck, at: int | None = None, *, quiet: bool = False) -> Preview:
    """The feed at `at` seconds (the end when None); nothing when the text has errors."""
    scenario, guidelines = check.scenario, check.guidelines
    if check.errors or scenario is None or guidelines is None:
        return Preview(None, 0, 0, len(check.errors))
    moment = scenario.duration if at is None else min(max(0, at), scenario.duration)
    feed = feed_at(compile_scenario(scenario), at=moment)
    return Preview(arrange(scenario, guidelines, feed, view=PreviewSpace), moment,
                   scenario.duration, 0, quiet)
