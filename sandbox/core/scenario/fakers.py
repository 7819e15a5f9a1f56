"""Does Faker know this provider and locale? Faker instances are slow to build: one per locale."""

from __future__ import annotations

import functools

# Faker proxy attributes that are not value providers.
_NOT_PROVIDERS = {
    "seed",
    "seed_instance",
    "seed_locale",
    "random",
    "add_provider",
    "get_providers",
    "provider",
    "set_formatter",
    "get_formatter",
    "format",
    "parse",
    "unique",
    "optional",
    "factories",
    "locales",
    "weights",
    "items",
    "set_arguments",
    "del_arguments",
    "get_arguments",
    "generator_attrs",
    "binary",
    "zip",
    "tar",
    "image",
    "xml",
    "json",
    "fixed_width",
    "psv",
    "csv",
    "tsv",
    "dsv",
}


@functools.cache
def available_locales() -> tuple[str, ...]:
    from faker.config import AVAILABLE_LOCALES

    return tuple(sorted(AVAILABLE_LOCALES))


def locale_exists(locale: str) -> bool:
    return locale in available_locales()


@functools.cache
def _faker(locale: str):
    from faker import Faker

    return Faker(locale)


@functools.cache
def provider_exists(provider: str, locale: str = "en_US") -> bool:
    if not provider.isidentifier() or provider.startswith("_") or provider in _NOT_PROVIDERS:
        return False
    if not locale_exists(locale):
        locale = "en_US"
    try:
        return callable(getattr(_faker(locale), provider))
    except (AttributeError, TypeError, NotImplementedError):
        return False


@functools.cache
def provider_names(locale: str = "en_US") -> tuple[str, ...]:
    """Provider names for did-you-mean suggestions."""
    if not locale_exists(locale):
        locale = "en_US"
    faker = _faker(locale)
    names = set()
    for provider in faker.get_providers():
        names.update(n for n in dir(provider) if not n.startswith("_") and n not in _NOT_PROVIDERS)
    return tuple(sorted(names))


def default_locale(language: str) -> str:
    return {"fr": "fr_FR", "en": "en_GB"}.get(language, "en_US")
