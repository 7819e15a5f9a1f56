"""The fairness check of the scores, over the counted exam runs (docs/talent.md): the CLI
`sandbox talent fairness` and the item-analysis page build the same input here and call
sandbox.core.fairness.check, the one path."""

from sqlmodel import Session

from sandbox import runs as run_store
from sandbox.core.fairness import Check, Scored, check
from sandbox.core.scenario import max_chars
from sandbox.evidence import EvidenceRules
from sandbox.items import counted_runs
from sandbox.reviews import standing


def fairness(session: Session, *, rules: EvidenceRules | None = None) -> Check:
    """Language and reply length against the residuals of the counted exam runs' scores."""
    scored_runs, replies = [], []
    for found in counted_runs(session, rules or EvidenceRules()).values():
        for run in found:
            game = run_store.played(session, run)
            scenario = game.scenario
            stands = standing(run)
            if stands is not None:
                scored_runs.append(Scored(run.user_id, scenario.difficulty, scenario.language,
                                          stands.overall))
            limit = max_chars(game.guidelines, scenario.platform.network)
            replies += [Scored(run.user_id, scenario.difficulty, scenario.language,
                               action.overall, len(action.text) / limit)
                        for action in run.actions
                        if action.action == "reply" and action.overall is not None
                        and action.text]
    return check(scored_runs, replies)


def sentences(found: Check) -> list[str]:
    """The check in words, for the command line and the page."""
    lines = []
    language = found.language
    if language is None:
        lines.append(f"Language: not enough counted exam runs in both English and French "
                     f"scenarios to compare ({found.runs} runs in all; 2 a language needed).")
    else:
        e = language.estimate
        interval = (f"95% CI {e.low:+.1f} to {e.high:+.1f}" if e.low is not None
                    else "no spread: no interval")
        lines.append(f"Language: English-scenario runs score {e.value:+.1f} points against "
                     f"French-scenario runs once the person and the declared difficulty are "
                     f"accounted for ({interval}; {language.n_first} English and "
                     f"{language.n_second} French runs).")
    if found.length is None:
        lines.append(f"Reply length: not enough graded replies to correlate ({found.replies}; "
                     f"4 needed).")
    else:
        e = found.length
        interval = (f"95% CI {e.low:+.2f} to {e.high:+.2f}" if e.low is not None
                    else "no interval")
        lines.append(f"Reply length: r = {e.value:+.2f} between a reply's length (as a share "
                     f"of the channel's limit) and what the person and difficulty do not "
                     f"explain of its score ({interval}; {found.replies} replies).")
    return lines
