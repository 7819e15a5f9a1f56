"""What HR asks the talent board for: a cohort, a period, a scenario, a language, a page.

The query string is read here once, whatever its state: a value that makes no sense is
dropped with a sentence saying so, never an error page (a bookmarked link outlives a cohort).
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

PAGE_SIZE = 25
MAX_PAGE = 100_000
LANGUAGE_NAMES = {"en": "English", "fr": "French"}


@dataclass(frozen=True)
class BoardQuery:
    cohort: int | None = None
    start: date | None = None  # first day of the period (runs finished on or after it)
    end: date | None = None  # last day of the period, included
    scenario: str | None = None
    language: str | None = None
    sort: str = "overall"
    page: int = 1

    @property
    def filtered(self) -> bool:
        return any((self.cohort, self.start, self.end, self.scenario, self.language))

    def args(self, **changes) -> dict[str, str]:
        """The query string of this view (with `changes`), for links: pages, sorting, export."""
        query = replace(self, **changes)
        values = {"cohort": query.cohort, "start": query.start, "end": query.end,
                  "scenario": query.scenario, "language": query.language,
                  "sort": query.sort if query.sort != "overall" else None,
                  "page": query.page if query.page != 1 else None}
        return {key: str(value) for key, value in values.items() if value}


def parse_query(args: Mapping[str, str], *, cohorts: Mapping[int, str],
                scenarios: Mapping[str, str], columns: tuple[str, ...]
                ) -> tuple[BoardQuery, list[str]]:
    """The query HR asked for, and a sentence for each part of it that was left out."""
    problems: list[str] = []
    cohort = _whole(args.get("cohort"))
    if (args.get("cohort") or "").strip() and cohort not in cohorts:
        problems.append("That cohort does not exist (any more): showing every trainee.")
        cohort = None
    start = _day(args.get("start"), "start", problems)
    end = _day(args.get("end"), "end", problems)
    if start and end and start > end:
        problems.append("The period ends before it starts: the dates were swapped.")
        start, end = end, start
    scenario = (args.get("scenario") or "").strip() or None
    if scenario is not None and scenario not in scenarios:
        problems.append("That scenario is not in the library: showing every scenario.")
        scenario = None
    language = (args.get("language") or "").strip() or None
    if language is not None and language not in LANGUAGE_NAMES:
        problems.append("Choose English or French: showing every language.")
        language = None
    sort = args.get("sort") or "overall"
    sort = sort if sort in columns else "overall"
    page = _whole(args.get("page")) if (args.get("page") or "").strip() else 1
    if page is None or not 1 <= page <= MAX_PAGE:
        problems.append("That page number is not one of the board's pages: showing the first.")
        page = 1
    return BoardQuery(cohort, start, end, scenario, language, sort, page), problems


def _whole(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _day(text: str | None, which: str, problems: list[str]) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text) if len(text) == 10 else _raise()
    except ValueError:
        problems.append(f"The {which} date must look like 2026-03-31: it was left out.")
        return None


def _raise() -> date:
    raise ValueError


def pages(total: int, page: int) -> tuple[int, int]:
    """(the page to show, how many there are): a page past the end shows the last one."""
    count = max(1, -(-total // PAGE_SIZE))
    return min(page, count), count
