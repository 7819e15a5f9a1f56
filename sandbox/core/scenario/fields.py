"""Field types shared by scenario and guidelines models: durations, scores, slugs, phrases."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from sandbox.core.scenario.durations import (
    DURATION_PATTERN,
    RANGE_PATTERN,
    DurationError,
    format_duration,
    parse_duration,
    parse_range,
)

SLUG_PATTERN = r"^[a-z][a-z0-9_-]*$"
# A scorer lexicon list; a dot reaches a nested list (`personal_data.email`).
LEXICON_NAME_PATTERN = r"^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$"


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _from_yaml(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("yaml"))


def _duration_error(error: DurationError) -> PydanticCustomError:
    return PydanticCustomError(
        "duration", "{message}", {"message": error.message, "hint": error.hint or ""}
    )


def _read_duration(value: Any, info: ValidationInfo, allow_negative: bool) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError(
            "duration",
            "{message}",
            {"message": f'"{value}" is not a duration', "hint": "write e.g. 45s, 10m or 1h30m"},
        )
    if isinstance(value, int | float):
        if _from_yaml(info):
            raise PydanticCustomError(
                "duration",
                "{message}",
                {
                    "message": f'"{value}" has no unit',
                    "hint": f"add a unit: {value}s, {value}m or {value}h",
                },
            )
        return value
    if isinstance(value, str):
        try:
            return parse_duration(value, allow_negative=allow_negative)
        except DurationError as error:
            raise _duration_error(error) from None
    return value


def _duration(value: Any, info: ValidationInfo) -> Any:
    return _read_duration(value, info, allow_negative=False)


def _signed_duration(value: Any, info: ValidationInfo) -> Any:
    return _read_duration(value, info, allow_negative=True)


_DURATION_SCHEMA = {
    "type": "string",
    "pattern": r"^(?=\d)(\d+h)?(\d+m)?(\d+s)?$",
    "patternErrorMessage": "A duration needs a unit: 45s, 10m, 2m30s, 1h or 1h30m.",
    "examples": ["30s", "10m", "2m30s", "1h"],
}

Duration = Annotated[int, BeforeValidator(_duration), WithJsonSchema(_DURATION_SCHEMA)]

# A working day: a scenario's chatter and its checks grow with its duration (shipped ones last
# 8 to 45 minutes), and the editor checks the text as it is typed
LONGEST_SCENARIO = 8 * 3600


def _scenario_duration(value: Any, info: ValidationInfo) -> Any:
    seconds = _read_duration(value, info, allow_negative=False)
    if isinstance(seconds, int | float) and seconds > LONGEST_SCENARIO:
        raise PydanticCustomError(
            "duration_too_long",
            "{message}",
            {"message": f'"{value}" is longer than a scenario can last '
                        f"({format_duration(LONGEST_SCENARIO)})",
             "hint": f"write at most {format_duration(LONGEST_SCENARIO)}, e.g. 30m"},
        )
    return seconds


ScenarioDuration = Annotated[
    int, BeforeValidator(_scenario_duration), WithJsonSchema(_DURATION_SCHEMA)
]
SignedDuration = Annotated[
    int,
    BeforeValidator(_signed_duration),
    WithJsonSchema(
        {
            **_DURATION_SCHEMA,
            "pattern": DURATION_PATTERN,
            "patternErrorMessage": "A duration needs a unit: 45s, 10m, 2m30s, 1h; "
            "a negative one (-5m) means already in the feed.",
        }
    ),
]


class DurationRange(Frozen):
    """A random delay between two durations, in seconds (`20s-90s`)."""

    min_s: int = Field(ge=0, description="Shortest delay, in seconds.")
    max_s: int = Field(ge=0, description="Longest delay, in seconds.")


def _range(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, str):
        try:
            low, high = parse_range(value)
        except DurationError as error:
            raise _duration_error(error) from None
        return {"min_s": low, "max_s": high}
    if isinstance(value, int | float) and not isinstance(value, bool) and _from_yaml(info):
        raise PydanticCustomError(
            "duration",
            "{message}",
            {"message": f'"{value}" has no unit', "hint": "write a range such as 20s-90s"},
        )
    return value


Range = Annotated[
    DurationRange,
    BeforeValidator(_range),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": RANGE_PATTERN,
            "patternErrorMessage": "A range is two durations joined by a dash: 20s-90s.",
            "examples": ["20s-90s", "1m-5m"],
        }
    ),
]

Score = Annotated[int, Field(ge=0, le=100, description="A score from 0 to 100.")]
Slug = Annotated[
    str,
    Field(
        pattern=SLUG_PATTERN,
        description="Lower-case letters, digits, `_` and `-`, starting with a letter.",
    ),
]
LexiconName = Annotated[
    str,
    Field(
        pattern=LEXICON_NAME_PATTERN,
        description="A scorer lexicon list, e.g. `empathy`; a dot reaches a nested list, "
        "e.g. `personal_data.email`.",
    ),
]
Text = Annotated[str, Field(min_length=1)]

# A line break inside a sentence of a `|` block is the author wrapping a long line, not a new
# line for the reader: it becomes a space. Blank lines (paragraphs) stay, and so does a break
# before a line that starts a sign-off or a list ("- Sam", "^JM", "• ...").
_SOFT_BREAK = re.compile(r"(?<=\S)[ \t]*\n(?![ \t]*(?:\n|$|[-\u2013\u2014\u2022*] |\^|#))[ \t]*")


def fold_soft_breaks(value: str) -> str:
    return _SOFT_BREAK.sub(" ", value).strip() if "\n" in value else value


Prose = Annotated[str, AfterValidator(fold_soft_breaks), Field(min_length=1)]


def _phrase(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            raise PydanticCustomError("empty_phrase", "an empty phrase", {})
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return value
    raise PydanticCustomError("phrase", "a phrase, or a list of alternative phrases", {})


Phrase = Annotated[
    str | list[str],
    BeforeValidator(_phrase),
    WithJsonSchema(
        {
            "description": "A phrase, or a list of alternatives (any one is enough). "
            "Matching ignores case "
            "and accents, works on whole words; a trailing * matches a prefix (recycl*).",
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            ],
        }
    ),
]


def _criterion_ids(value: Any) -> Any:
    if isinstance(value, list) and not value:
        raise PydanticCustomError("criteria", "a criterion id, or a list of them", {})
    return value


CriterionIds = Annotated[
    Slug | list[Slug],
    BeforeValidator(_criterion_ids),
    WithJsonSchema(
        {
            "description": "A scorer criterion id (timeliness, clarity, length, key_messages, "
            "forbidden, facts, consistency, voice, transparency, empathy, politeness, "
            "customer_focus, resolution, privacy, action), or a list of them.",
            "anyOf": [
                {"type": "string", "pattern": SLUG_PATTERN},
                {"type": "array", "items": {"type": "string", "pattern": SLUG_PATTERN},
                 "minItems": 1},
            ],
        }
    ),
]
