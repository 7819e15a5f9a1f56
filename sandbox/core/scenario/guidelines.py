"""Guidelines format v1 (DESIGN.md section 6): a company's editorial line and protocols."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sandbox.core.scenario.fields import Duration, Frozen, LexiconName, Phrase, Slug, Text
from sandbox.core.vocabulary import EXPECTED_ACTIONS


class Voice(Frozen):
    person: Literal["we", "i"] = Field("we", description="The brand speaks as `we` or `i`.")
    greeting: Literal["required", "optional"] = Field(
        "optional", description="Greet the customer by name or handle: required | optional."
    )
    sign_off: str | None = Field(
        None, description='Regular expression the last line must match, e.g. "^[-–] ?[A-Z][a-z]+$".'
    )
    max_exclamations: int | None = Field(None, ge=0, description="Most `!` allowed in a reply.")
    emoji: Literal["allowed", "avoid", "forbidden"] = Field(
        "allowed", description="allowed | avoid | forbidden"
    )
    jargon: list[Text] = Field(
        default_factory=list, description="Internal words customers should not see."
    )


class ResponseTime(Frozen):
    target: Duration = Field(description="Good reply delay, e.g. 15m.")
    max: Duration = Field(description="Longest acceptable delay, e.g. 1h.")


class Channel(Frozen):
    max_chars: int = Field(ge=1, description="Longest reply the network accepts.")


class ForbiddenRule(Frozen):
    phrase: Text = Field(description="A phrase (or a regular expression with regex: true).")
    regex: bool = Field(False, description="Treat `phrase` as a regular expression.")
    reason: Text = Field(description="Why it is forbidden; shown to the trainee.")
    critical: bool = Field(False, description="Saying it caps the overall score at 20.")


class TopicRules(Frozen):
    key_messages: list[Phrase] = Field(
        default_factory=list, description="Like must_mention: a phrase, or a list of alternatives."
    )
    must: list[Literal[EXPECTED_ACTIONS]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="Expected actions on this topic."
    )
    forbidden: list[ForbiddenRule] = Field(
        default_factory=list, description="Forbidden on this topic only."
    )


# The kinds of personal data the scorer recognises (its `personal_data` lexicon lists).
PersonalData = Literal[
    "email",
    "phone",
    "order_number",
    "account_number",
    "address",
    "card",
    "date_of_birth",
    "password",
]


class Privacy(Frozen):
    never_public: list[PersonalData] = Field(
        default_factory=list,
        description="Personal data never asked for in public: email | phone | order_number | "
        "account_number | address | card | date_of_birth | password.",
    )


class Weights(Frozen):
    agility: float = Field(1, ge=0, description="Weight of Agility in the overall score.")
    coherence: float = Field(1, ge=0, description="Weight of Coherence in the overall score.")
    efficiency: float = Field(1, ge=0, description="Weight of Efficiency in the overall score.")


class Verdicts(Frozen):
    pass_: int = Field(70, alias="pass", ge=0, le=100, description="Overall score to pass.")
    coach: int = Field(50, ge=0, le=100, description="Overall score for `coach` (below: fail).")


class Guidelines(Frozen):
    """A guidelines file in scenarios/guidelines/."""

    format: Literal[1] = Field(description="Format version; always 1.")
    id: Slug = Field(description="Matches the file name.")
    brand: Text = Field(description="The brand these guidelines are for.")
    language: Literal["en", "fr"] = Field("en", description="Language of the rules and phrases.")
    voice: Voice = Field(default_factory=Voice, description="Tone and form of replies.")
    response_time: dict[str, ResponseTime] = Field(
        default_factory=dict, description="Expected delays for public, dm, or a topic."
    )
    channels: dict[Literal["twitter", "facebook"], Channel] = Field(
        default_factory=dict, description="Limits per network."
    )
    forbidden: list[ForbiddenRule] = Field(default_factory=list, description="Never say these.")
    topics: dict[Slug, TopicRules] = Field(default_factory=dict, description="Rules per topic.")
    approved_facts: list[Text] = Field(
        default_factory=list, description="Facts and promises a reply may assert."
    )
    privacy: Privacy = Field(default_factory=Privacy, description="Personal-data rules.")
    weights: Weights = Field(default_factory=Weights, description="Weights of A, C and E.")
    verdicts: Verdicts = Field(
        default_factory=Verdicts, description="Thresholds for pass and coach."
    )
    lexicon: dict[LexiconName, list[Text]] = Field(
        default_factory=dict,
        description="Extra words per scorer lexicon, e.g. empathy: [gutted for you]; "
        "a dotted name extends a nested list, e.g. personal_data.email: [e-mail addy].",
    )


DEFAULT_MAX_CHARS = {"twitter": 280, "facebook": 8000}


def max_chars(guidelines: Guidelines | None, network: str) -> int:
    if guidelines is not None and network in guidelines.channels:
        return guidelines.channels[network].max_chars
    return DEFAULT_MAX_CHARS.get(network, 8000)
