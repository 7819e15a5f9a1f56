"""The commented starter file written by `sandbox new-scenario`."""

from __future__ import annotations

import textwrap

from sandbox.core.vocabulary import EXPECTED_ACTIONS

_TEXTS = {
    "en": {
        "title": "A customer asks about a late delivery",
        "summary": "A customer's order is late; they ask in public and expect a quick answer.",
        "briefing": "You are on the customer-care rota today. Deliveries in the north are running "
        "two days late because of a warehouse move.",
        "fact": "Deliveries in the north are running two days late because of a warehouse move.",
        "persona": "Alex Morgan",
        "post": "Where is my order? It was due on Monday. @{handle}",
        "follow_up": "Still waiting for an answer, @{handle}...",
        "thanks": "Thanks, that's clear. Fingers crossed for tomorrow!",
        "must": "[sorry, apologise, apologize]",
        "must_not": "[calm down]",
        "answer": "Hi Alex, we're sorry your order is late. Deliveries in the north are two days "
        "behind - please DM us your order number and we'll check it for you.",
        "crowd": "en_GB",
        "chatter": '["Love the new range!", "Any news on the summer menu?"]',
        "guidelines": "default",
        "team": "Logistics desk",
    },
    "fr": {
        "title": "Un client demande où est sa commande",
        "summary": "La commande d'un client est en retard ; il demande publiquement des nouvelles.",
        "briefing": "Vous assurez le service client aujourd'hui. Les livraisons dans le nord ont "
        "deux jours de retard à cause d'un déménagement d'entrepôt.",
        "fact": "Les livraisons dans le nord ont deux jours de retard (déménagement d'entrepôt).",
        "persona": "Camille Martin",
        "post": "Où est ma commande ? Elle devait arriver lundi. @{handle}",
        "follow_up": "Toujours pas de réponse, @{handle}...",
        "thanks": "Merci, c'est clair. J'attends demain alors !",
        "must": "[désolé, excuse*]",
        "must_not": "[calmez-vous]",
        "answer": "Bonjour Camille, nous sommes désolés pour ce retard. Les livraisons dans le "
        "nord ont deux jours de retard : écrivez-nous en privé avec votre numéro de "
        "commande et nous vérifions.",
        "crowd": "fr_FR",
        "chatter": '["J\'adore la nouvelle gamme !", "Des nouvelles du menu d\'été ?"]',
        "guidelines": "default-fr",
        "team": "Service logistique",
    },
}

TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A new scenario. Check it with:  sandbox validate {filename}
# Every field is described in docs/scenario-format.md.
format: 1
id: {slug}  # unique across scenarios/
title: {title}
summary: {summary}
language: {language}                      # en | fr
difficulty: beginner              # beginner | intermediate | advanced
duration: 20m                     # how long the simulated run lasts
seed: 1                           # same seed = same generated names and chatter
# network: twitter | facebook; brand and handle: the account the trainee runs
platform: {{network: {platform}, brand: {brand}, handle: {handle}}}
guidelines: {guidelines}  # guidelines/<name>.yaml beside this file, else the shipped ones
briefing: >-
{briefing}
facts:                            # the only facts and promises a reply may assert
  - {fact}

personas:
  customer:
    name: {persona}
    handle: customer_{slug_handle}
    followers: 120
  crowd: {{count: 10, locale: {crowd}}}      # generated accounts for background chatter
experts:                          # colleagues the trainee can escalate to
  logistics: {{name: {team}}}

timeline:
  - id: first_post
    at: 30s                       # time since the start; negative = already in the feed
    kind: mention                 # post | comment | mention | dm | internal
    from: customer
    topic: delivery
    text: "{post}"
    virality: low                 # low | medium | high
    expect:
      reply_within: 10m
      actions: [reply]            # {expected_actions}
      must_mention:               # a phrase, or a list of alternatives
        - {must}
      must_not_say: {must_not}
      pass_score: 60
      model_answer: >-
{answer}
    branches:                     # the first condition that fires wins
      - when: {{no_reply_within: 10m}}
        goto: follow_up
      - when: {{reply_passes: true}}  # a good answer: the customer thanks you
        goto: thanks              # (reply_mentions, reply_lacks, reply_breaks: see the docs)

scenes:
  follow_up:                      # shown when the branch above fires
    - after: 0s
      kind: comment
      reply_to: first_post
      from: customer
      text: "{follow_up}"
  thanks:                         # shown after a reply that passes
    - after: 1m
      kind: comment
      reply_to: first_post
      from: customer
      text: "{thanks}"

noise:                            # never scored, never branches
  from: crowd
  every: 1m-3m
  topics: [praise, product]
  texts: {chatter}

tests:                            # checked by `sandbox scenario test`
  - name: a silent trainee gets a follow-up
    actions: []
    expect_events: [first_post, follow_up.0]
  - name: the model answer earns a thank-you
    actions:
      - {{at: 2m, action: reply, event: first_post, text: "{answer_line}"}}
    expect_events: [thanks.0]
"""


def starter_text(
    slug: str,
    *,
    platform: str = "twitter",
    language: str = "en",
    schema: str = "schema/scenario.schema.json",
    filename: str = "",
) -> str:
    texts = dict(_TEXTS[language])
    texts["briefing"] = textwrap.fill(
        texts["briefing"], 96, initial_indent="  ", subsequent_indent="  "
    )
    texts["answer_line"] = texts["answer"].replace('"', '\\"')
    texts["answer"] = textwrap.fill(
        texts["answer"], 96, initial_indent=" " * 8, subsequent_indent=" " * 8
    )
    brand, handle = "OurBrand", "OurBrand"
    return TEMPLATE.format(
        schema=schema,
        filename=filename or f"{slug}.yaml",
        slug=slug,
        language=language,
        platform=platform,
        brand=brand,
        handle=handle,
        slug_handle=slug.replace("-", "_")[:20],
        expected_actions=" | ".join(EXPECTED_ACTIONS),
        **{k: v.replace("{handle}", handle) for k, v in texts.items()},
    )
