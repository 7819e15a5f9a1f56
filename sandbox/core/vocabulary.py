"""The words of the domain, defined once: Python modules and templates import them from here.

A name that appears in scenario files, stored runs or URLs (`move_to_dm`) is a contract
(DESIGN.md section 3): extend these lists, never rename an entry.
"""

# What a trainee can do to an item. `dm` writes in a direct-message conversation; `move_to_dm`
# answers a public item privately.
ACTION_NAMES: tuple[str, ...] = ("reply", "dm", "move_to_dm", "escalate", "hide", "like")
# What a scenario can expect of the trainee (`expect.actions`, a topic's `must`): the trainee's
# actions on a public item, or deliberately doing nothing.
EXPECTED_ACTIONS: tuple[str, ...] = ("reply", "move_to_dm", "escalate", "hide", "like", "ignore")
# Actions that answer the customer: they count as "a reply" for no_reply_within and the scores.
ANSWERS = frozenset({"reply", "dm", "move_to_dm"})
# Answers that reach the customer privately: they answer that person's public posts too.
PRIVATE_ANSWERS = frozenset({"dm", "move_to_dm"})
# Actions that put the trainee's own text in a stream (the composer opens for them).
WRITES = frozenset({"reply", "dm", "move_to_dm", "escalate"})

# The actions each kind of event accepts in a run.
ACTIONS_ON: dict[str, frozenset[str]] = {
    "post": frozenset(ACTION_NAMES),
    "comment": frozenset(ACTION_NAMES),
    "mention": frozenset(ACTION_NAMES),
    "dm": frozenset({"reply", "dm", "escalate"}),
    "internal": frozenset({"reply"}),
}
# Expected actions a scenario must not ask for on a kind of event (the validator's SCN3xx).
NOT_EXPECTABLE_ON: dict[str, tuple[str, ...]] = {
    "dm": ("move_to_dm", "hide"),
    "internal": ("move_to_dm", "hide", "like"),
}

# The buttons of the practice page, in the order it shows them.
PUBLIC_ITEM_ACTIONS: tuple[str, ...] = ("reply", "move_to_dm", "escalate", "like", "hide")
DIRECT_MESSAGE_ACTIONS: tuple[str, ...] = ("dm", "escalate")

ACTION_LABELS: dict[str, str] = {
    "reply": "Reply", "dm": "Reply by DM", "move_to_dm": "Move to DM", "escalate": "Escalate",
    "like": "Like", "hide": "Hide",
}
# What the composer's empty text box suggests for each action that writes.
COMPOSER_PROMPTS: dict[str, str] = {
    "reply": "Write your public reply…",
    "dm": "Write a private message…",
    "move_to_dm": "A short public note: tell them you have sent a private message…",
    "escalate": "Why this needs the team, and what you need back…",
}
# The first private message of a move to DM (its public note is the composer's text).
MOVE_TO_DM_MESSAGE_PROMPT = "Your first private message to them…"
# The public note a move to DM proposes, in the scenario's language; the trainee edits it.
PUBLIC_NOTES: dict[str, str] = {
    "en": "Hi {name}, we've sent you a direct message so we can sort this out privately.",
    "fr": "Bonjour {name}, nous vous avons envoyé un message privé pour régler cela ensemble.",
}
# An expected action as an instruction in the briefing ("reply" goes without saying).
EXPECTED_ACTION_ADVICE: dict[str, str] = {
    "reply": "Reply to the customer.",
    "escalate": "Escalate it to the right colleague.",
    "move_to_dm": "Move the conversation to DM.",
    "hide": "Hide the post.",
    "like": "Like the post.",
    "ignore": "Leave it unanswered.",
}

# Branch conditions (`when:` in a scenario), in the order the validator and the docs list them.
# `no_reply_within` and `action` stand alone; the reply conditions are decided together at the
# first reply to the event, and several of them in one `when` must all hold.
BRANCH_CONDITIONS: tuple[str, ...] = (
    "no_reply_within", "action", "reply_score_below", "reply_score_at_least",
    "reply_mentions", "reply_lacks", "reply_breaks", "reply_passes",
)
REPLY_CONDITIONS = frozenset(BRANCH_CONDITIONS[2:])
# A scorer criterion below this is broken (`reply_breaks`), as the debrief shows it in red; a
# critical finding breaks it whatever its score.
BROKEN_BELOW = 50

# The clock speeds a run can play at (a scenario's `speed:`, the briefing's choice).
CLOCK_SPEEDS: tuple[int, ...] = (1, 2, 5, 10)
# Without `speed:`, a scenario longer than this (simulated seconds) starts at FAST_SPEED, so a
# 30-minute script does not take 30 real minutes for a few posts; a short one plays in real time.
FAST_AFTER = 15 * 60
FAST_SPEED = 5
