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


_STOCK_TEXTS = {
    "en": {
        "praise": ["Honestly the best breakfast in the house", "Big fan of the new range"],
        "delivery": ["Still waiting on my order...", "Parcel arrived a day early, nice"],
        "product": ["Does anyone know if these are gluten free?", "New flavour is decent"],
        "pricing": ["Prices have crept up again", "Good deal in the shop this week"],
        "service": ["Customer service sorted my issue quickly", "Anyone else stuck on hold?"],
        None: ["Morning everyone", "Anyone else see this?", "Weekend plans: snacks"],
    },
    "fr": {
        "praise": ["Franchement le meilleur petit-déjeuner", "Fan de la nouvelle gamme"],
        "delivery": ["Toujours pas reçu ma commande...", "Colis arrivé en avance, top"],
        "product": ["Quelqu'un sait si c'est sans gluten ?", "Le nouveau goût est pas mal"],
        "pricing": ["Les prix ont encore augmenté", "Bonne promo en magasin cette semaine"],
        "service": ["Le service client a réglé mon souci vite", "Quelqu'un d'autre en attente ?"],
        None: ["Bonjour tout le monde", "Quelqu'un a vu ça ?", "Programme du week-end : goûter"],
    },
}


def chatter(scenario: Any, authors: list[str]) -> list[Chatter]:
    """The scenario's background chatter over [0, duration], the same for the same seed and id."""
    noise = scenario.noise
    if noise is None or not authors:
        return []
    rng = seeded_random(scenario.seed, scenario.id, "noise")
    source = scenario.personas.get(noise.from_)
    locale = locale_for(scenario.language, getattr(source, "locale", None))
    low, high = max(1, noise.every.min_s), max(1, noise.every.max_s)
    items: list[Chatter] = []
    at = rng.randint(low, high)
    while at <= scenario.duration:
        index = len(items)
        topic = rng.choice(noise.topics) if noise.topics else None
        text = _chatter_text(scenario, topic, rng, locale=locale, index=index)
        items.append(Chatter(id=f"noise.{index}", at=at, author=rng.choice(authors),
                             topic=topic, text=text))
        at += rng.randint(low, high)
    return items


def _chatter_text(scenario: Any, topic: str | None, rng: random.Random, *, locale: str,
                  index: int) -> str:
    texts = list(scenario.noise.texts)
    if not texts:
        stock = _STOCK_TEXTS.get(scenario.language, _STOCK_TEXTS["en"])
        texts = stock.get(topic) or stock[None]
    text = rng.choice(texts).strip()
    # Variations so the same few lines do not repeat word for word.
    brand = scenario.platform.handle
    shape = rng.randrange(6)
    if shape == 1:
        return f"@{brand} {text}"
    if shape == 2:
        return f"{text} #{brand}"
    if shape == 3:  # talking to a friend; a generated place could contradict the script's
        friend = fake_value("user_name", locale=locale,
                            seed=stable_seed(scenario.seed, scenario.id, "noise-friend", index))
        return f"@{_handle_text(friend)} {text}"
    if shape == 4 and text[-1:].isalnum():
        return text + rng.choice(["!", "...", "!!"])
    return text
