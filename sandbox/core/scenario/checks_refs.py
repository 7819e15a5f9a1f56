"""Meaning pass, references (SCN2xx): every name used is defined once, in the right place."""

from __future__ import annotations

from sandbox.core.scenario.context import Context
from sandbox.core.scenario.fakers import (
    available_locales,
    default_locale,
    locale_exists,
    provider_exists,
    provider_names,
)
from sandbox.core.scenario.models import TOPICS, Crowd, Fake, Persona
from sandbox.core.scenario.suggest import did_you_mean, hint_for


def check_references(ctx: Context) -> None:
    _duplicate_ids(ctx)
    for path, event in ctx.events():
        _sender(ctx, path, event)
        _topic(ctx, (*path, "topic"), event.topic)
        if event.kind == "comment" and event.reply_to is None:
            ctx.add(
                "SCN208",
                ctx.key_at(*path, "kind"),
                "a comment needs `reply_to`: the post it answers",
                "add `reply_to: <event id>`, or use `kind: post` or `kind: mention`",
            )
        if event.reply_to is not None and event.reply_to not in ctx.event_refs:
            ctx.add(
                "SCN206",
                ctx.value_at(*path, "reply_to"),
                f'`reply_to` names "{event.reply_to}", but no event has that id',
                hint_for(event.reply_to, ctx.event_refs),
                "give the parent event an `id:`, or refer to a scene event as scene.index",
            )
        if event.expect and event.expect.escalate_to is not None:
            _expert(ctx, (*path, "expect", "escalate_to"), event.expect.escalate_to)
        for index, branch in enumerate(event.branches):
            _goto(ctx, (*path, "branches", index, "goto"), branch.goto)
    noise = ctx.scenario.noise
    if noise is not None:
        if noise.from_ not in ctx.persona_names:
            ctx.add(
                "SCN202",
                ctx.value_at("noise", "from"),
                f'unknown persona "{noise.from_}"',
                hint_for(noise.from_, ctx.persona_names),
                "noise comes from a crowd in `personas`",
            )
        for index, topic in enumerate(noise.topics):
            _topic(ctx, ("noise", "topics", index), topic)
    _fakes(ctx)
    _handles(ctx)
    _tests(ctx)


def known_topics(ctx: Context) -> set[str]:
    extra = set(ctx.guidelines.topics) if ctx.guidelines is not None else set()
    return set(TOPICS) | extra


def _duplicate_ids(ctx: Context) -> None:
    first: dict[str, tuple] = {}
    for path, event in ctx.events():
        if event.id is None:
            continue
        if event.id in first:
            line = ctx.value_at(*first[event.id], "id")[0]
            ctx.add(
                "SCN201",
                ctx.value_at(*path, "id"),
                f'the event id "{event.id}" is used twice',
                f"it is first used on line {line}; give each event its own id",
            )
        elif event.id in ctx.scene_names or event.id == "end":
            ctx.add(
                "SCN201",
                ctx.value_at(*path, "id"),
                f'the event id "{event.id}" is also a scene name',
                "give the event another id so `goto` and `reply_to` stay unambiguous",
            )
        else:
            first[event.id] = path


def _sender(ctx: Context, path: tuple, event) -> None:
    sender = event.from_

    def where() -> tuple[int, int, int]:  # located only when there is something to report
        return ctx.value_at(*path, "from")

    if event.kind == "internal":
        if sender in ctx.expert_names:
            return
        if sender in ctx.persona_names:
            ctx.add(
                "SCN215",
                where(),
                f'`internal` messages come from a colleague, but "{sender}" is a persona',
                "add the colleague under `experts:` and use that name, or change the kind to `dm`",
            )
            return
        ctx.add(
            "SCN204",
            where(),
            f'unknown expert "{sender}"',
            hint_for(sender, ctx.expert_names),
            "internal messages come from an entry of `experts:`",
        )
        return
    if sender in ctx.persona_names:
        if isinstance(ctx.scenario.personas.get(sender), Crowd):
            ctx.add(
                "SCN215",
                where(),
                f'"{sender}" is a crowd: it chatters in `noise`, it cannot send a scripted event',
                "add a persona with a name and a handle for this event",
            )
        return
    if sender in ctx.expert_names:
        ctx.add(
            "SCN215",
            where(),
            f'"{sender}" is an expert: experts only send `internal` messages',
            "use `kind: internal`, or add a persona for a public post",
        )
        return
    ctx.add(
        "SCN202",
        where(),
        f'unknown persona "{sender}"',
        hint_for(sender, ctx.persona_names),
        "declare it under `personas:`" if not ctx.persona_names else "",
    )


def _topic(ctx: Context, path: tuple, topic: str | None) -> None:
    if topic is None:
        return
    topics = known_topics(ctx)
    if topic not in topics:
        ctx.add(
            "SCN203",
            ctx.value_at(*path),
            f'unknown topic "{topic}"',
            hint_for(topic, topics),
            "topics: " + ", ".join(sorted(topics)),
        )


def _expert(ctx: Context, path: tuple, name: str) -> None:
    if name not in ctx.expert_names:
        ctx.add(
            "SCN204",
            ctx.value_at(*path),
            f'unknown expert "{name}"',
            hint_for(name, ctx.expert_names),
            "declare it under `experts:`",
        )


def _goto(ctx: Context, path: tuple, target: str) -> None:
    if target == "end" or target in ctx.scene_names:
        return
    guess = did_you_mean(target, [*ctx.scene_names, "end"])
    if guess and guess != "end":
        ctx.near_miss_scenes.add(guess)
    ctx.add(
        "SCN205",
        ctx.value_at(*path),
        f'unknown scene "{target}"',
        f'did you mean "{guess}"?' if guess else "",
        "`goto` names a scene under `scenes:`, or `end` to finish the scenario",
    )


def _fakes(ctx: Context) -> None:
    language_locale = default_locale(ctx.language)
    for name, persona in ctx.scenario.personas.items():
        locale = persona.locale or language_locale
        if persona.locale is not None and not locale_exists(persona.locale):
            _bad_locale(ctx, ("personas", name, "locale"), persona.locale)
            locale = language_locale
        if not isinstance(persona, Persona):
            continue
        for field in ("name", "handle", "bio", "location"):
            value = getattr(persona, field)
            if not isinstance(value, Fake):
                continue
            value_locale = locale
            if value.locale is not None:
                if not locale_exists(value.locale):
                    _bad_locale(ctx, ("personas", name, field, "locale"), value.locale)
                else:
                    value_locale = value.locale
            if not provider_exists(value.fake, value_locale):
                ctx.add(
                    "SCN211",
                    ctx.value_at("personas", name, field, "fake"),
                    f'Faker has no provider "{value.fake}" for {value_locale}',
                    hint_for(value.fake, provider_names(value_locale), cutoff=75),
                    "common providers: name, first_name, user_name, city, company, job",
                )


def _bad_locale(ctx: Context, path: tuple, locale: str) -> None:
    ctx.add(
        "SCN212",
        ctx.value_at(*path),
        f'unknown Faker locale "{locale}"',
        hint_for(locale, available_locales(), cutoff=60),
        "locales look like en_GB, en_US, fr_FR, de_DE",
    )


def _handles(ctx: Context) -> None:
    seen: dict[str, str] = {}
    platform = ctx.scenario.platform
    if platform is not None:
        seen[platform.handle.lstrip("@").lower()] = "the brand (platform.handle)"
    for name, persona in ctx.scenario.personas.items():
        if not isinstance(persona, Persona) or not isinstance(persona.handle, str):
            continue
        handle = persona.handle.lstrip("@").lower()
        if handle in seen:
            ctx.add(
                "SCN213",
                ctx.value_at("personas", name, "handle"),
                f'the handle "@{handle}" is already used by {seen[handle]}',
                "give every account its own handle",
            )
        else:
            seen[handle] = f'persona "{name}"'


def _tests(ctx: Context) -> None:
    for index, test in enumerate(ctx.scenario.tests):
        if test is None:
            continue
        for number, action in enumerate(test.actions):
            path = ("tests", index, "actions", number)
            if action.event is not None:
                _event_ref(ctx, (*path, "event"), action.event)
            if action.to is not None:
                _expert(ctx, (*path, "to"), action.to)
        for key in ("expect_events", "expect_absent"):
            for number, ref in enumerate(getattr(test, key)):
                _event_ref(ctx, ("tests", index, key, number), ref)


def _event_ref(ctx: Context, path: tuple, ref: str) -> None:
    if ref not in ctx.event_refs:
        ctx.add(
            "SCN214",
            ctx.value_at(*path),
            f'no event is called "{ref}"',
            hint_for(ref, ctx.event_refs),
            "use a timeline event id, or scene.index such as pile_on.0",
        )
