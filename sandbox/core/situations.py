"""Starting points for a new scenario: a situation (complaint, recall, rumour...) written for a
brand's guidelines, a network, a language and a level, as a complete scenario file.

The text has personas (Faker, seeded by the scenario's name), one customer post with its
expectations and a model answer that follows the guidelines (greeting, the topic's key messages,
the sign-off they ask for, the protocol's actions), a scene for silence and one for a good answer,
chatter, and a `tests:` block for both, so it validates strictly and can be published as it is,
once a trainer has made it theirs. Pure: the caller gives the parsed guidelines.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from faker import Faker

LEVELS = {  # duration, expected delay (and when silence brings the pile-on), how fast it spreads
    "beginner": ("20m", "15m", "low"),
    "intermediate": ("25m", "10m", "medium"),
    "advanced": ("30m", "5m", "high"),
}
LOCALES = {"en": "en_GB", "fr": "fr_FR"}
_HELLO = {"en": "Hi", "fr": "Bonjour"}
_AGENT = {"en": ("Sam", "SM"), "fr": ("Camille", "CL")}


@dataclass(frozen=True)
class Words:
    """What the people of one situation say, in one language ({handle}: the brand's handle)."""

    title: str
    summary: str
    briefing: str
    fact: str
    post: str
    must: tuple  # each: a phrase, or a tuple of alternatives
    must_not: tuple[str, ...]
    answer: str  # after "Hi <name>, "
    pile_on: str
    thanks: str
    chatter: tuple[str, str]


@dataclass(frozen=True)
class Situation:
    key: str
    label: str
    topic: str
    actions: tuple[str, ...]
    expert: tuple[str, str, str] | None  # key, name in English, name in French
    words: dict[str, Words]


SORRY_EN, SORRY_FR = ("sorry", "apologise", "apologize"), ("désolés", "navrés", "excuses")
DM_EN, DM_FR = ("DM", "direct message", "private message"), ("message privé", "MP")
CHATTER_EN = ("Love the new range!", "Anyone else enjoying the sunshine today?")
CHATTER_FR = ("J'adore la nouvelle gamme !", "Quelqu'un d'autre profite du soleil aujourd'hui ?")

SITUATIONS: dict[str, Situation] = {s.key: s for s in (
    Situation("complaint", "Complaint", "service", ("reply",), None, {
        "en": Words(
            "A customer complains in public about a late order",
            "A customer's order is late for the third time; they say so in public.",
            "You are on the customer-care rota. A customer whose order is late for the third "
            "time has just posted about it.",
            "Orders placed this week ship within 3 working days.",
            "Third time my order from @{handle} is late. Nobody answers the phone. Really "
            "disappointed.",
            (SORRY_EN, DM_EN), ("not our fault", "calm down"),
            "we're sorry your order is late again and that nobody picked up. Please send us a "
            "DM so we can check it today.",
            "Same here with @{handle}. Does anyone there read their mentions?",
            "Thanks, sending you a DM now.", CHATTER_EN),
        "fr": Words(
            "Un client se plaint en public d'une commande en retard",
            "La commande d'un client a du retard pour la troisième fois ; il le dit en public.",
            "Vous êtes de permanence au service client. Un client dont la commande a du retard "
            "pour la troisième fois vient de le publier.",
            "Les commandes passées cette semaine partent sous 3 jours ouvrés.",
            "Troisième fois que ma commande chez @{handle} arrive en retard. Personne ne répond "
            "au téléphone. Très déçu.",
            (SORRY_FR, DM_FR), ("pas notre faute", "calmez-vous"),
            "nous sommes désolés pour ce nouveau retard et pour l'attente au téléphone. "
            "Écrivez-nous en message privé, nous vérifions votre commande aujourd'hui.",
            "Pareil chez @{handle}. Quelqu'un lit les messages ?",
            "Merci, je vous écris en privé.", CHATTER_FR),
    }),
    Situation("recall", "Product recall", "health_safety", ("reply", "escalate"),
              ("quality_team", "Quality & Safety desk", "Service Qualité & Sécurité"), {
        "en": Words(
            "A worried parent asks about a recalled batch",
            "A parent asks whether the product that made their child ill is in today's recall.",
            "You are on the customer-care rota. Batch 14C was recalled this morning.",
            "Batch 14C is recalled since this morning; customers get a full refund, no receipt "
            "needed.",
            "My son felt sick after using a product from @{handle}. Is this the batch in the "
            "recall?? #recall",
            (SORRY_EN, "recall"), ("calm down", "overreacting"),
            "we're so sorry your son is unwell. Batch 14C is part of this morning's recall: "
            "please DM us so we can arrange a refund and check in on him today.",
            "A recall and still no answer from @{handle}? Parents deserve better.",
            "Thank you for the quick answer, DM sent.", CHATTER_EN),
        "fr": Words(
            "Un parent inquiet pose une question sur un lot rappelé",
            "Un parent demande si le produit qui a rendu son enfant malade fait partie du "
            "rappel du jour.",
            "Vous êtes de permanence au service client. Le lot 14C a été rappelé ce matin.",
            "Le lot 14C est rappelé depuis ce matin ; remboursement complet, sans ticket de "
            "caisse.",
            "Mon fils a été malade après avoir utilisé un produit @{handle}. C'est le lot "
            "rappelé ?? #rappel",
            (SORRY_FR, "rappel"), ("calmez-vous", "vous exagérez"),
            "nous sommes navrés que votre fils soit malade. Le lot 14C fait partie du rappel "
            "de ce matin : écrivez-nous en message privé pour le remboursement, nous prenons de "
            "ses nouvelles aujourd'hui.",
            "Un rappel et toujours pas de réponse de @{handle} ? Les parents méritent mieux.",
            "Merci pour la réponse rapide, je vous écris en privé.", CHATTER_FR),
    }),
    Situation("rumour", "Rumour", "other", ("reply",), None, {
        "en": Words(
            "A rumour says every shop closes next month",
            "A customer repeats a rumour about shop closures and lost gift cards.",
            "You are on the customer-care rota. A false rumour about shop closures is spreading.",
            "No shop is closing; gift cards stay valid for 24 months.",
            "Heard @{handle} is closing all its shops next month and keeping the gift cards. "
            "Is it true??",
            (("not true", "untrue", "false"), "gift card"), ("no comment", "fake news"),
            "that's not true: no shop is closing, and every gift card stays valid for 24 "
            "months. Thanks for asking us first.",
            "So @{handle} is not denying it? My gift card is worth 50 quid...",
            "Good to know, thanks for clearing that up.", CHATTER_EN),
        "fr": Words(
            "Une rumeur annonce la fermeture de tous les magasins",
            "Un client relaie une rumeur de fermetures et de cartes cadeaux perdues.",
            "Vous êtes de permanence au service client. Une fausse rumeur de fermetures circule.",
            "Aucun magasin ne ferme ; les cartes cadeaux restent valables 24 mois.",
            "Il paraît que @{handle} ferme tous ses magasins le mois prochain et garde les "
            "cartes cadeaux. C'est vrai ??",
            (("faux", "pas vrai", "inexact"), "carte cadeau"), ("sans commentaire", "fake news"),
            "c'est faux : aucun magasin ne ferme et toutes les cartes cadeaux restent valables "
            "24 mois. Merci de nous avoir posé la question.",
            "Donc @{handle} ne dément pas ? Ma carte cadeau vaut 50 euros...",
            "Bon à savoir, merci pour la réponse.", CHATTER_FR),
    }),
    Situation("data-exposure", "Data exposure", "privacy", ("reply", "escalate"),
              ("data_protection", "Data Protection team", "Équipe Protection des données"), {
        "en": Words(
            "A customer received someone else's personal details",
            "An email went to the wrong customers; one of them asks how their data is handled.",
            "You are on the customer-care rota. An email sent this morning went to the wrong "
            "customers.",
            "An email sent this morning went to the wrong customers; the Data Protection team "
            "is contacting everyone affected.",
            "Just got an email from @{handle} with someone else's name and address in it. How "
            "is my data handled??",
            (SORRY_EN, DM_EN), ("no big deal", "calm down"),
            "we're sorry, that message should never have reached you. Our Data Protection "
            "team is contacting everyone affected; please DM us so we can check what you got.",
            "If @{handle} sends out addresses like that, what else do they leak?",
            "OK, DM sent. Thanks for taking it seriously.", CHATTER_EN),
        "fr": Words(
            "Une cliente reçoit les coordonnées de quelqu'un d'autre",
            "Un e-mail est parti aux mauvais clients ; l'une d'eux demande comment ses données "
            "sont protégées.",
            "Vous êtes de permanence au service client. Un e-mail envoyé ce matin est parti aux "
            "mauvais clients.",
            "Un e-mail envoyé ce matin est parti aux mauvais clients ; l'équipe Protection des "
            "données contacte chaque personne concernée.",
            "Je viens de recevoir un e-mail de @{handle} avec le nom et l'adresse de quelqu'un "
            "d'autre. Comment sont gérées mes données ??",
            (SORRY_FR, DM_FR), ("pas grave", "calmez-vous"),
            "nous sommes désolés, ce message n'aurait jamais dû vous parvenir. Notre équipe "
            "Protection des données contacte chaque personne concernée ; écrivez-nous en "
            "message privé pour vérifier ce que vous avez reçu.",
            "Si @{handle} envoie des adresses comme ça, qu'est-ce qui fuite d'autre ?",
            "D'accord, message envoyé. Merci de prendre ça au sérieux.", CHATTER_FR),
    }),
    Situation("outage", "Outage", "service", ("reply", "escalate"),
              ("operations", "Operations desk", "Centre d'exploitation"), {
        "en": Words(
            "The app and website are down",
            "A technical fault stops the app and website; customers ask what is going on.",
            "You are on the customer-care rota. The app and website have been down since 14:00.",
            "A technical fault has stopped the app and website since 14:00; engineers expect a "
            "fix by 16:00.",
            "Is @{handle} down? App and website not working for an hour now. #outage",
            (SORRY_EN, ("engineers", "technical team")), ("no problem on our side", "calm down"),
            "we're sorry, the app and website have been down since 14:00 because of a "
            "technical fault. Our engineers expect a fix by 16:00; we'll post updates here.",
            "Still down and not a word from @{handle}. #outage",
            "Thanks for the update, I'll check back later.", CHATTER_EN),
        "fr": Words(
            "L'appli et le site sont en panne",
            "Une panne technique bloque l'appli et le site ; les clients demandent ce qui se "
            "passe.",
            "Vous êtes de permanence au service client. L'appli et le site sont en panne depuis "
            "14 h.",
            "Une panne technique bloque l'appli et le site depuis 14 h ; les équipes prévoient "
            "un retour à 16 h.",
            "@{handle} est en panne ? Appli et site inaccessibles depuis une heure. #panne",
            (SORRY_FR, ("équipes", "techniciens")), ("aucun problème chez nous", "calmez-vous"),
            "nous sommes désolés : l'appli et le site sont en panne depuis 14 h à cause d'un "
            "incident technique. Nos équipes prévoient un retour à 16 h, nous publions les "
            "nouvelles ici.",
            "Toujours en panne et pas un mot de @{handle}. #panne",
            "Merci pour l'info, je réessaie plus tard.", CHATTER_FR),
    }),
    Situation("ethics-report", "Ethics report", "ethics", ("reply", "escalate"),
              ("ethics", "Ethics & Compliance", "Éthique & conformité"), {
        "en": Words(
            "A former employee accuses suppliers of unpaid overtime",
            "A public accusation about a supplier's working conditions asks for an answer.",
            "You are on the customer-care rota. A former employee's accusation is being shared.",
            "The supplier code of conduct forbids unpaid overtime; reports go to the "
            "independent ethics line.",
            "An ex-employee says @{handle} suppliers use unpaid overtime. What are you doing "
            "about it? #ethics",
            ("code of conduct", ("look into", "investigate", "check")), ("no comment", "lies"),
            "thank you for raising this. Our supplier code of conduct forbids unpaid overtime, "
            "and our Ethics & Compliance team will look into this report.",
            "Silence from @{handle} on unpaid overtime says a lot. #ethics",
            "Thanks for taking it seriously. Waiting for the findings.", CHATTER_EN),
        "fr": Words(
            "Un ancien salarié accuse des fournisseurs d'heures non payées",
            "Une accusation publique sur les conditions de travail d'un fournisseur attend une "
            "réponse.",
            "Vous êtes de permanence au service client. L'accusation d'un ancien salarié est "
            "partagée.",
            "Le code de conduite fournisseurs interdit les heures supplémentaires non payées ; "
            "les signalements vont à la ligne éthique indépendante.",
            "Un ancien salarié affirme que les fournisseurs de @{handle} imposent des heures "
            "sup non payées. Vous faites quoi ? #éthique",
            ("code de conduite", ("examiner", "enquête", "vérifier")),
            ("sans commentaire", "mensonges"),
            "merci de nous le signaler. Notre code de conduite fournisseurs interdit les heures "
            "non payées, et notre équipe Éthique & conformité va examiner ce signalement.",
            "Le silence de @{handle} sur les heures non payées en dit long. #éthique",
            "Merci de prendre ça au sérieux. J'attends les conclusions.", CHATTER_FR),
    }),
    Situation("praise", "Praise", "praise", ("reply", "like"), None, {
        "en": Words(
            "A customer thanks a colleague in public",
            "A happy customer praises a colleague by name; thank them quickly and pass it on.",
            "You are on the customer-care rota. A customer has praised your colleague Sam.",
            "Praise for a colleague is passed on to them and their manager.",
            "Shout-out to the @{handle} team: Sam sorted my problem in five minutes yesterday. "
            "Brilliant service!",
            (("thank", "thanks"), ("pass it on", "pass on", "share")), ("whatever",),
            "thank you so much for taking the time to tell us. We'll pass it on to Sam and the "
            "team today.",
            "@{handle} can't even say thanks to a happy customer?",
            "You're welcome, keep it up!", CHATTER_EN),
        "fr": Words(
            "Un client remercie un collègue en public",
            "Un client ravi félicite un collègue par son nom ; remerciez vite et transmettez.",
            "Vous êtes de permanence au service client. Un client a félicité votre collègue Sam.",
            "Les compliments sont transmis à la personne et à son responsable.",
            "Bravo à l'équipe @{handle} : Sam a réglé mon problème en cinq minutes hier. "
            "Service au top !",
            ("merci", ("transmettons", "transmettre", "transmis")), ("peu importe",),
            "merci beaucoup d'avoir pris le temps de nous écrire. Nous transmettons vos mots à "
            "Sam et à l'équipe aujourd'hui.",
            "@{handle} ne dit même pas merci à un client content ?",
            "Avec plaisir, continuez comme ça !", CHATTER_FR),
    }),
    Situation("abusive-account", "Abusive account", "other", ("reply", "hide"), None, {
        "en": Words(
            "An abusive post hides a real refund problem",
            "A customer insults the team over a late refund: answer the point once, hide the "
            "abuse.",
            "You are on the customer-care rota. An angry customer is insulting the team.",
            "Refunds reach the customer's account within 5 working days of approval.",
            "@{handle} you are all useless clowns. My refund is 3 weeks late. Idiots.",
            (SORRY_EN, "refund"), ("idiot", "clown"),
            "we're sorry your refund is taking this long. Refunds arrive within 5 working days "
            "of approval; please DM us and we'll check yours today.",
            "Ignored again by @{handle}. Clowns.",
            "Fine. DM sent.", CHATTER_EN),
        "fr": Words(
            "Un message injurieux cache un vrai problème de remboursement",
            "Un client insulte l'équipe pour un remboursement en retard : répondez une fois sur "
            "le fond, masquez l'insulte.",
            "Vous êtes de permanence au service client. Un client en colère insulte l'équipe.",
            "Les remboursements arrivent sous 5 jours ouvrés après validation.",
            "@{handle} bande d'incapables. Mon remboursement a 3 semaines de retard. Nuls.",
            (SORRY_FR, "remboursement"), ("incapable", "nul"),
            "nous sommes désolés que votre remboursement prenne autant de temps. Il arrive sous "
            "5 jours ouvrés après validation ; écrivez-nous en message privé, nous vérifions le "
            "vôtre aujourd'hui.",
            "Encore ignoré par @{handle}. Nuls.",
            "Bon. Message envoyé.", CHATTER_FR),
    }),
)}


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _phrases(items) -> str:
    return "[" + ", ".join(_quoted(i) if isinstance(i, str) else _phrases(i) for i in items) + "]"


def _plain(text: str) -> str:
    ascii_only = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", ascii_only)


def _sign_off(pattern: str | None, language: str) -> str | None:
    """A last line the guidelines' sign-off expression accepts, if one of ours fits."""
    if not pattern:
        return None
    name, initials = _AGENT[language]
    for line in (f"- {name}", f"^{initials}", f"– {name}", name, initials):
        try:
            if re.search(pattern, line):
                return line
        except re.error:
            return None
    return None


def _answer(situation: Situation, words: Words, guidelines, first_name: str, limit: int) -> str:
    language = guidelines.language
    answer = f"{_HELLO[language]} {first_name}, {words.answer}"
    rules = guidelines.topics.get(situation.topic)
    for message in rules.key_messages if rules else ():
        phrase = message if isinstance(message, str) else message[0]
        longer = f"{answer} {phrase[0].upper()}{phrase[1:]}."
        if len(longer) <= limit - 20:  # room for the sign-off
            answer = longer
    sign_off = _sign_off(guidelines.voice.sign_off, language)
    return f"{answer}\n{sign_off}" if sign_off else answer


def _person(fake: Faker, suffix: int) -> tuple[str, str, str]:
    first, last = fake.first_name(), fake.last_name()
    handle = f"{_plain(first).lower()}_{_plain(last).lower()}"[:20] + str(suffix)
    return first, f"{first} {last}", handle


def scenario_text(slug: str, *, situation: str, guidelines, network: str, level: str,
                  schema: str = "schema/scenario.schema.json") -> str:
    """The YAML of a new scenario `slug` for `guidelines` (parsed, with its `id`)."""
    chosen, language = SITUATIONS[situation], guidelines.language
    words = chosen.words[language]
    duration, delay, virality = LEVELS[level]
    handle = _plain(guidelines.brand) or "OurBrand"
    limit = guidelines.channels[network].max_chars if network in guidelines.channels else 280
    fake = Faker(LOCALES[language])
    fake.seed_instance(sum(map(ord, slug)))
    first, customer, customer_handle = _person(fake, 7)
    _, onlooker, onlooker_handle = _person(fake, 42)
    protocol = guidelines.topics.get(chosen.topic)
    actions = list(dict.fromkeys([*chosen.actions, *(protocol.must if protocol else ())]))
    expert = chosen.expert
    if "escalate" in actions and expert is None:  # the guidelines' protocol asks for one
        expert = ("team_lead", "Team lead", "Responsable d'équipe")
    kind = "mention" if network == "twitter" else "post"
    answer = _answer(chosen, words, guidelines, first, limit)

    def said(text: str) -> str:
        return _quoted(text.replace("{handle}", handle))

    lines = [
        f"# yaml-language-server: $schema={schema}",
        f"# A {chosen.label.lower()} for {guidelines.brand}, generated as a starting point: make "
        "it yours, then publish.",
        "format: 1",
        f"id: {slug}",
        f"title: {said(words.title)}",
        f"summary: {said(words.summary)}",
        f"language: {language}",
        f"difficulty: {level}",
        f"duration: {duration}",
        f"seed: {sum(map(ord, slug)) % 1000}",
        f"platform: {{network: {network}, brand: {_quoted(guidelines.brand)}, handle: {handle}}}",
        f"guidelines: {guidelines.id}",
        f"briefing: {said(words.briefing)}",
        "facts:",
        f"  - {said(words.fact)}",
        "",
        "personas:",
        "  customer:",
        f"    name: {_quoted(customer)}",
        f"    handle: {customer_handle}",
        "    followers: 240",
        "  onlooker:",
        f"    name: {_quoted(onlooker)}",
        f"    handle: {onlooker_handle}",
        "    followers: 1800",
        f"  crowd: {{count: 12, locale: {LOCALES[language]}}}",
    ]
    if expert:
        name = expert[1] if language == "en" else expert[2]
        lines += ["experts:", f"  {expert[0]}: {{name: {_quoted(name)}}}"]
    lines += [
        "",
        "timeline:",
        "  - id: first_post",
        "    at: 30s",
        f"    kind: {kind}",
        "    from: customer",
        f"    topic: {chosen.topic}",
        f"    text: {said(words.post)}",
        f"    virality: {virality}",
        "    expect:",
        f"      reply_within: {delay}",
        f"      actions: [{', '.join(actions)}]",
    ]
    if "escalate" in actions:
        lines.append(f"      escalate_to: {expert[0]}")
    lines += [
        f"      must_mention: {_phrases(words.must)}",
        f"      must_not_say: {_phrases(words.must_not)}",
        "      pass_score: 60",
        f"      model_answer: {_quoted(answer)}",
        "    branches:                     # the first condition that fires wins",
        "      - when: {reply_score_at_least: 60}",
        "        goto: thanks",
        f"      - when: {{no_reply_within: {delay}}}",
        "        goto: pile_on",
        "",
        "scenes:",
        "  thanks:                         # a good answer is noticed",
        "    - after: 1m",
        "      kind: comment",
        "      reply_to: first_post",
        "      from: customer",
        f"      text: {said(words.thanks)}",
        "  pile_on:                        # silence is noticed too",
        "    - after: 0s",
        "      kind: comment",
        "      reply_to: first_post",
        "      from: onlooker",
        f"      text: {said(words.pile_on)}",
        "",
        "noise:",
        "  from: crowd",
        "  every: 1m-3m",
        f"  topics: [{'praise, product' if chosen.topic != 'praise' else 'product'}]",
        f"  texts: {_phrases(words.chatter)}",
        "",
        "tests:                            # run them with `sandbox scenario test`",
        "  - name: a silent trainee gets a pile-on",
        "    actions: []",
        "    expect_events: [first_post, pile_on.0]",
        "    expect_absent: [thanks.0]",
        "  - name: a good answer is thanked",
        "    actions:",
        f"      - {{at: 2m, action: reply, event: first_post, text: {_quoted(answer)}, "
        "score: 90}",
        "    expect_events: [first_post, thanks.0]",
        "    expect_absent: [pile_on.0]",
    ]
    return "\n".join(lines) + "\n"
