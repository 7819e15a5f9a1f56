"""Generated people and chatter, deterministic from the scenario seed and id.

Everything here is a pure function of (seed, scenario id, names): Faker is seeded per value from a
stable hash (hashlib, never the salted built-in `hash()`), and Faker instances are created lazily,
once per locale, the first time a value is needed.
"""

from __future__ import annotations

import hashlib
import random
import threading
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

DEFAULT_LOCALES = {"en": "en_GB", "fr": "fr_FR"}

_FAKER_LOCK = threading.Lock()


@dataclass(frozen=True)
class PersonaView:
    """An account as the feed shows it: every `{fake: ...}` value already generated."""

    key: str
    name: str
    handle: str
    avatar: str
    followers: int = 0
    verified: bool = False
    bio: str | None = None
    location: str | None = None
    kind: str = "persona"  # persona | crowd | expert | brand


def stable_seed(*parts: object) -> int:
    """A 64-bit seed from the given parts, the same on every machine and every run."""
    text = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def seeded_random(*parts: object) -> random.Random:
    return random.Random(stable_seed(*parts))


@lru_cache(maxsize=16)
def _faker(locale: str) -> Any:
    from faker import Faker  # imported here: building a Faker is slow and never done at import

    return Faker(locale)


def locale_for(language: str, locale: str | None = None) -> str:
    return locale or DEFAULT_LOCALES.get(language, "en_GB")


def fake_value(provider: str, *, locale: str, seed: int) -> str:
    """One Faker value (`city`, `name`, `user_name`, ...) for this seed and locale."""
    faker = _faker(locale)
    with _FAKER_LOCK:  # seed_instance and the call must not interleave between threads
        faker.seed_instance(seed)
        value = getattr(faker, provider)()
    return value if isinstance(value, str) else str(value)


def _resolve(value: Any, *, locale: str, seed_parts: tuple[object, ...]) -> Any:
    """A plain value as is; a `{fake: provider}` value (model or mapping) generated."""
    provider = getattr(value, "fake", None)
    own_locale = getattr(value, "locale", None)
    if isinstance(value, dict):
        provider, own_locale = value.get("fake"), value.get("locale")
    if provider is None:
        return value
    return fake_value(provider, locale=own_locale or locale, seed=stable_seed(*seed_parts))


# ---------------------------------------------------------------------------------------------
# Avatars


def initials(name: str) -> str:
    spaced = name.replace("_", " ").replace("@", " ")
    words = [word for word in spaced.split() if word[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def avatar_svg(name: str, *, seed: int, scenario_id: str, key: str) -> str:
    """A round avatar with the account's initials on a colour derived from the seed.

    Generated locally: the app must work on a closed network, so no external images.
    """
    rng = seeded_random(seed, scenario_id, "avatar", key)
    hue = rng.randrange(360)
    saturation = rng.randrange(45, 75)
    lightness = rng.randrange(32, 48)  # dark enough for white text to stay readable
    label = escape(name, quote=True)
    letters = escape(initials(name))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40" '
        f'role="img" aria-label="{label}">'
        f'<circle cx="20" cy="20" r="20" fill="hsl({hue},{saturation}%,{lightness}%)"/>'
        f'<text x="20" y="25.5" text-anchor="middle" font-family="sans-serif" font-size="15" '
        f'font-weight="600" fill="#fff">{letters}</text></svg>'
    )


# ---------------------------------------------------------------------------------------------
# People


def resolve_personas(scenario: Any) -> dict[str, PersonaView]:
    """Every account of the scenario by key: personas, crowd members (`crowd.7`), experts, brand.

    Crowd members are keyed `<pool>.<index>`; the brand account is keyed `trainee`.
    """
    seed, scenario_id = scenario.seed, scenario.id
    default_locale = locale_for(scenario.language)
    people: dict[str, PersonaView] = {}
    for key, persona in scenario.personas.items():
        if hasattr(persona, "count"):
            locale = locale_for(scenario.language, persona.locale)
            people.update(crowd_members(key, persona.count, locale=locale, seed=seed,
                                        scenario_id=scenario_id))
            continue
        locale = persona.locale or default_locale

        def value(field: str, raw: Any, *, key: str = key, locale: str = locale) -> Any:
            return _resolve(raw, locale=locale, seed_parts=(seed, scenario_id, key, field))

        name = value("name", persona.name)
        handle = _handle_text(value("handle", persona.handle))
        people[key] = PersonaView(
            key=key, name=name, handle=handle,
            avatar=avatar_svg(name, seed=seed, scenario_id=scenario_id, key=key),
            followers=persona.followers, verified=persona.verified,
            bio=value("bio", persona.bio), location=value("location", persona.location),
        )
    for key, expert in scenario.experts.items():
        people[key] = PersonaView(
            key=key, name=expert.name, handle=key, kind="expert",
            avatar=avatar_svg(expert.name, seed=seed, scenario_id=scenario_id, key=key),
        )
    brand = scenario.platform
    people["trainee"] = PersonaView(
        key="trainee", name=brand.brand, handle=brand.handle, kind="brand", verified=True,
        avatar=avatar_svg(brand.brand, seed=seed, scenario_id=scenario_id, key="trainee"),
    )
    return people


def _handle_text(value: str) -> str:
    text = "".join(ch for ch in str(value).lstrip("@") if ch.isalnum() or ch == "_")
    return text or "user"


def crowd_members(pool: str, count: int, *, locale: str, seed: int,
                  scenario_id: str) -> dict[str, PersonaView]:
    """`count` generated accounts in `locale`, keyed `<pool>.<index>`."""
    members: dict[str, PersonaView] = {}
    taken: set[str] = set()
    for index in range(count):
        key = f"{pool}.{index}"
        member_seed = stable_seed(seed, scenario_id, "crowd", pool, index)
        first = fake_value("first_name", locale=locale, seed=member_seed)
        last = fake_value("last_name", locale=locale, seed=member_seed + 1)
        rng = random.Random(member_seed)
        handle = _crowd_handle(first, last, rng)
        while handle.lower() in taken:
            handle = f"{handle}{rng.randrange(10)}"
        taken.add(handle.lower())
        name = f"{first} {last}"
        members[key] = PersonaView(
            key=key, name=name, handle=handle, kind="crowd",
            # Most accounts are small, a few are large: a log-uniform spread looks real.
            followers=int(10 ** rng.uniform(1, 4.3)),
            avatar=avatar_svg(name, seed=seed, scenario_id=scenario_id, key=key),
        )
    return members


def _crowd_handle(first: str, last: str, rng: random.Random) -> str:
    plain = _handle_text(_ascii(first) + rng.choice(["", "_", "."]) + _ascii(last)).lower()
    shape = rng.randrange(4)
    if shape == 0:
        return plain
    if shape == 1:
        return f"{plain}{rng.randrange(1, 99)}"
    if shape == 2:
        return _handle_text(f"{_ascii(first)}{_ascii(last)[:1]}{rng.randrange(70, 100)}").lower()
    return _handle_text(f"the{_ascii(first)}").lower()


def _ascii(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and (ch.isalnum() or ch == "_"))


# ---------------------------------------------------------------------------------------------
# Background chatter


@dataclass(frozen=True)
class Chatter:
    """One background item: `noise.N`, never scored, never branches."""

    id: str
    at: int
    author: str
    topic: str | None
    text: str


# How likely an item is to use one of the scenario's own lines while some are left: they are
# written for the situation, the pools are not.
_OWN_LINE_CHANCE = 0.5
# Weights of the pools an item may draw from, most specific first; the scenario's own lines
# stay in the draw after their first chance.
_POOL_WEIGHTS = (("sector-topic", 4), ("own", 2), ("topic", 2), ("sector", 2), ("general", 1))
# Two lines of three words or more read the same from this similarity (rapidfuzz's token set
# ratio: a line that holds another nearly word for word scores close to 100).
_SAME_LINE = 90
# A scenario is of a sector when its words hit the sector's keywords this often, and at least a
# third as often as the sector it hits most (a rail scenario saying "signalling" once is not a
# telecom one).
_SECTOR_MIN_HITS = 2


def chatter(scenario: Any, authors: list[str]) -> list[Chatter]:
    """The scenario's background chatter over [0, duration], the same for the same seed and id.

    No line is said twice in a run: each item draws a line not yet used, from the scenario's own
    `noise.texts` first (about one item in two while any is left), else from the pools of its
    topic, its sector (sandbox.core.chatter_pools) and anyone's; when every pool is used up,
    lines are made from templates and Faker values.
    """
    noise = scenario.noise
    if noise is None or not authors:
        return []
    rng = seeded_random(scenario.seed, scenario.id, "noise")
    source = scenario.personas.get(noise.from_)
    locale = locale_for(scenario.language, getattr(source, "locale", None))
    low, high = max(1, noise.every.min_s), max(1, noise.every.max_s)
    lines = _LineDealer(scenario, locale=locale)
    items: list[Chatter] = []
    at = rng.randint(low, high)
    while at <= scenario.duration:
        index = len(items)
        topic = rng.choice(noise.topics) if noise.topics else None
        text = lines.deal(topic, index)
        items.append(Chatter(id=f"noise.{index}", at=at, author=rng.choice(authors),
                             topic=topic, text=text))
        at += rng.randint(low, high)
    return items


def chatter_key(text: str) -> str:
    """What two chatter lines share when they read the same: no @handles, #tags, case, accents
    or punctuation."""
    from sandbox.core.phrases import normalise

    words = [word for word in normalise(text).split() if not word.startswith(("@", "#"))]
    return " ".join("".join(ch for ch in " ".join(words) if ch.isalnum() or ch == " ").split())


def chatter_sectors(scenario: Any) -> list[str]:
    """The sectors (sandbox.core.chatter_pools.SECTORS) a scenario's words belong to, the most
    recognised first: "trains" for a rail operator, ["outage", "telecom"] for a network outage."""
    from sandbox.core.chatter_pools import KEYWORDS
    from sandbox.core.phrases import find_all

    parts = [scenario.title, scenario.summary or "", scenario.briefing or "", *scenario.facts,
             *(event.text for event in scenario.timeline)]
    if scenario.noise is not None:
        parts.extend(scenario.noise.texts)
    text = "\n".join(str(part) for part in parts)
    language = scenario.language
    hits = {sector: len(find_all(text, list(words.get(language, words["en"])), language))
            for sector, words in KEYWORDS.items()}
    top = max(hits.values(), default=0)
    found = [sector for sector, count in hits.items()
             if count >= max(_SECTOR_MIN_HITS, top / 3)]
    return sorted(found, key=lambda sector: (-hits[sector], sector))


class _LineDealer:
    """Deals chatter lines without repeating one, in an order fixed by the seed.

    A line is "already said" when it reads the same as one dealt before (chatter_key), or
    contains it nearly word for word ("Phone says SOS only" after "My phone says SOS only").
    """

    def __init__(self, scenario: Any, *, locale: str) -> None:
        from sandbox.core.chatter_pools import GENERAL, SECTORS, TOPICS

        self.scenario = scenario
        self.locale = locale
        self.language = language = scenario.language if scenario.language in GENERAL else "en"
        self.rng = seeded_random(scenario.seed, scenario.id, "noise-text")
        self.used: set[str] = set()
        self.said: list[str] = []  # the keys of `used`, in the order they were dealt
        sectors = [SECTORS[name].get(language, {}) for name in chatter_sectors(scenario)]
        self.decks: dict[tuple[str, str | None], list[str]] = {
            ("own", None): self._deck(scenario.noise.texts)}
        for topic in scenario.noise.topics:
            self.decks[("sector-topic", topic)] = self._deck(
                line for pool in sectors for line in pool.get(topic, ()))
            self.decks[("topic", topic)] = self._deck(TOPICS[language].get(topic, ()))
        self.decks[("sector", None)] = self._deck(
            line for pool in sectors for line in pool.get(None, ()))
        self.decks[("general", None)] = self._deck(GENERAL[language])

    def _deck(self, lines: Any) -> list[str]:
        deck = list(dict.fromkeys(line.strip() for line in lines if line.strip()))
        self.rng.shuffle(deck)
        return deck

    def deal(self, topic: str | None, index: int) -> str:
        source, line = self._next_line(topic, index)
        key = chatter_key(line)
        self.used.add(key)
        self.said.append(key)
        return self._decorate(line, index, about_brand=source not in ("general", "composed"))

    def _is_new(self, line: str) -> bool:
        from rapidfuzz import fuzz

        key = chatter_key(line)
        if key in self.used:
            return False
        if len(key.split()) < 3:
            return True
        return all(len(said.split()) < 3 or fuzz.token_set_ratio(key, said) < _SAME_LINE
                   for said in self.said)

    def _draw(self, deck: list[str]) -> str | None:
        while deck:
            line = deck.pop()
            if self._is_new(line):
                return line
        return None

    def _next_line(self, topic: str | None, index: int) -> tuple[str, str]:
        own = self.decks[("own", None)]
        if own and self.rng.random() < _OWN_LINE_CHANCE:
            line = self._draw(own)
            if line is not None:
                return "own", line
        while True:
            choices = [(name, self.decks.get((name, topic if name.endswith("topic") else None)),
                        weight) for name, weight in _POOL_WEIGHTS]
            choices = [(name, deck, weight) for name, deck, weight in choices if deck]
            if not choices:
                return "composed", self._composed(index)
            name, deck, _ = self.rng.choices(choices, weights=[c[2] for c in choices])[0]
            line = self._draw(deck)
            if line is not None:
                return name, line

    def _composed(self, index: int) -> str:
        """A new line from a template and Faker values; the item number makes one if need be."""
        from sandbox.core.chatter_pools import NUMBERED, TEMPLATES

        scenario = self.scenario
        for attempt in range(24):
            seed = stable_seed(scenario.seed, scenario.id, "noise-line", index, attempt)
            rng = random.Random(seed)
            template = rng.choice(TEMPLATES[self.language])
            values = {
                "name": fake_value("first_name", locale=self.locale, seed=seed),
                "day": fake_value("day_of_week", locale=self.locale, seed=seed + 1),
                "month": fake_value("month_name", locale=self.locale, seed=seed + 2),
                "n": rng.randint(2, 40), "steps": f"{rng.randrange(3000, 16000, 50):,}",
            }
            if self.language == "fr":
                values["day"], values["month"] = values["day"].lower(), values["month"].lower()
                values["steps"] = values["steps"].replace(",", "\u202f")
            line = template.format(**values)
            if chatter_key(line) not in self.used:
                return line
        number = index + 2
        while chatter_key(NUMBERED[self.language].format(n=number)) in self.used:
            number += 1000
        return NUMBERED[self.language].format(n=number)

    def _decorate(self, text: str, index: int, *, about_brand: bool) -> str:
        """Some lines tag the brand or a friend, or end with more feeling: people post so.

        Only a line about the brand's world tags the brand; on a Facebook page people are tagged
        by name, and nobody tags the page they post on.
        """
        scenario = self.scenario
        brand = scenario.platform.handle
        facebook = scenario.platform.network == "facebook"
        shape = self.rng.randrange(6)
        if shape == 1 and about_brand and not facebook:
            return f"@{brand} {text}"
        if shape == 2 and about_brand:
            return f"{text} #{brand}"
        if shape == 3:  # talking to a friend; a generated place could contradict the script's
            seed = stable_seed(scenario.seed, scenario.id, "noise-friend", index)
            if facebook:
                return f"{fake_value('first_name', locale=self.locale, seed=seed)} {text}"
            friend = fake_value("user_name", locale=self.locale, seed=seed)
            return f"@{_handle_text(friend)} {text}"
        if shape == 4 and text[-1:].isalnum():
            return text + self.rng.choice(["!", "...", "!!"])
        return text
