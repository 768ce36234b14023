"""Date grammar: Maghreb, Levantine, Egyptian/Gulf and French month names, weekdays and
relative words («أمس», «اليوم», «hier», «aujourd'hui»), resolved against the article's own date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .text import same_length

A = "[اأإآ]"  # any alef
T = "[ةه]"  # ta marbuta or ha
Y = "[يى]"  # ya or alef maqsura

_MONTHS: list[tuple[str, int]] = [
    # Levantine names first: «تشرين الثاني» must win over a shorter match.
    (rf"كانون\s+{A}ل{A}?ول", 12),
    (rf"كانون\s+{A}لث{A}ني", 1),
    (rf"تشرين\s+{A}ل{A}?ول", 10),
    (rf"تشرين\s+{A}لث{A}ني", 11),
    (rf"شب{A}ط", 2),
    (rf"{A}ذ{A}ر", 3),
    (rf"نيس{A}ن", 4),
    (rf"{A}ي{A}ر", 5),
    (rf"حزير{A}ن", 6),
    (r"تموز", 7),
    (rf"{A}يلول", 9),
    (rf"{A}ب(?![\u0621-\u064a])", 8),
    # Maghreb and Egyptian/Gulf names.
    (rf"ين{A}ير|جانفي", 1),
    (rf"فبر{A}ير|فيفري", 2),
    (rf"م{A}رس", 3),
    (rf"{A}بريل|{A}فريل", 4),
    (rf"م{A}يو|م{A}ي(?![\u0621-\u064a])", 5),
    (rf"يونيو|يوني{T}|جو{A}ن", 6),
    (rf"يوليوز|يوليو|يولي{T}|جويلي{T}", 7),
    (rf"غشت|{A}غسطس|{A}وت", 8),
    (r"شتنبر|سبتمبر", 9),
    (rf"{A}كتوبر|{A}كتوبر", 10),
    (r"نونبر|نوفمبر", 11),
    (r"دجنبر|ديسمبر", 12),
    # French.
    (r"janvier", 1),
    (r"f[ée]vrier", 2),
    (r"mars", 3),
    (r"avril", 4),
    (r"mai", 5),
    (r"juin", 6),
    (r"juillet", 7),
    (r"ao[ûu]t", 8),
    (r"septembre", 9),
    (r"octobre", 10),
    (r"novembre", 11),
    (r"d[ée]cembre", 12),
]

_WEEKDAYS: list[tuple[str, int]] = [
    (rf"{A}ل{A}ثنين|{A}ثنين|lundi", 0),
    (rf"{A}لثل{A}ث{A}ء|ثل{A}ث{A}ء|mardi", 1),
    (rf"{A}ل{A}ربع{A}ء|{A}ربع{A}ء|mercredi", 2),
    (rf"{A}لخميس|خميس|jeudi", 3),
    (rf"{A}لجمع{T}|جمع{T}|vendredi", 4),
    (rf"{A}لسبت|سبت|samedi", 5),
    (rf"{A}ل{A}حد|dimanche", 6),
]

_RELATIVE: list[tuple[str, int]] = [
    (rf"{A}مس|{A}لب{A}رح{T}|hier", -1),
    (rf"{A}ليوم|يومه|aujourd'hui|aujourd’hui|ce", 0),
    (rf"غد{A}|demain", 1),
]

_B = r"(?<!\w)"  # word start
_E = r"(?!\w)"  # word end


def _alternation(items: list[tuple[str, int]]) -> str:
    return "|".join(f"(?P<g{i}>{p})" for i, (p, _) in enumerate(items))


_MONTH_RE = re.compile(rf"(?:{_alternation(_MONTHS)}){_E}", re.IGNORECASE)
_WEEKDAY_RE = re.compile(rf"{_B}[وب]?(?:{_alternation(_WEEKDAYS)}){_E}", re.IGNORECASE)
_RELATIVE_RE = re.compile(rf"{_B}(?:{_alternation(_RELATIVE)}){_E}", re.IGNORECASE)

# «06 نونبر 2023», «4 février, 2021», «1er mars 2020», «voltus20 أكتوبر 2023» (run together).
_DAY_MONTH_RE = re.compile(
    r"(?<!\d)(?P<day>[0-3]?\d)(?:er)?\s*[,،]?\s*(?P<month>[^\W\d_]+(?:\s+[^\W\d_]+)?)"
    r"(?:\s*[,،]?\s*(?P<year>(?:19|20)\d\d)(?!\d))?",
    re.IGNORECASE,
)
_NUMERIC_RE = re.compile(r"(?<!\d)(?P<day>[0-3]?\d)[/.-](?P<month>[01]?\d)[/.-](?P<year>(?:19|20)\d\d)(?!\d)")
_ISO_RE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)")


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    relative: int | None = None  # -1 yesterday, 0 today, +1 tomorrow

    @property
    def full(self) -> date | None:
        if self.day and self.month and self.year:
            try:
                return date(self.year, self.month, self.day)
            except ValueError:
                return None
        return None


def _which(match: re.Match[str], items: list[tuple[str, int]]) -> int:
    for i, (_, value) in enumerate(items):
        if match.group(f"g{i}") is not None:
            return value
    raise LookupError(match.group())


def month_number(word: str) -> int | None:
    m = _MONTH_RE.fullmatch(same_length(word).strip())
    return _which(m, _MONTHS) if m else None


def find_dates(text: str) -> list[DateMention]:
    """Explicit dates, with any weekday or relative word written just before them, and
    standalone weekday/relative expressions («أمس الثلاثاء», «jeudi»)."""
    work = same_length(text)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for m in _DAY_MONTH_RE.finditer(work):
        month = _MONTH_RE.match(work, m.start("month"))
        if not month:
            continue
        day = int(m.group("day"))
        if not 1 <= day <= 31:
            continue
        end = month.end()
        year = None
        after = re.compile(r"\s*[,،]?\s*((?:19|20)\d\d)(?!\d)").match(work, end)
        if after:
            year, end = int(after.group(1)), after.end()
        start = m.start()
        weekday, relative, start = _look_back(work, start)
        found.append(DateMention(start, end, day, _which(month, _MONTHS), year, weekday, relative))
        taken.append((start, end))
    for regex in (_NUMERIC_RE, _ISO_RE):
        for m in regex.finditer(work):
            if any(s <= m.start() < e for s, e in taken):
                continue
            found.append(
                DateMention(
                    m.start(), m.end(), int(m.group("day")), int(m.group("month")), int(m.group("year"))
                )
            )
            taken.append((m.start(), m.end()))
    for m in _WEEKDAY_RE.finditer(work):
        if any(s <= m.start() < e for s, e in taken):
            continue
        weekday = _which(m, _WEEKDAYS)
        _, relative, start = _look_back(work, m.start(), weekday_allowed=False)
        found.append(DateMention(start, m.end(), weekday=weekday, relative=relative))
        taken.append((start, m.end()))
    for m in _RELATIVE_RE.finditer(work):
        if any(s <= m.start() < e for s, e in taken):
            continue
        relative = _which(m, _RELATIVE)
        if m.group().lower() in ("ce", "يومه") or (relative == 0 and not _time_context(work, m)):
            continue
        found.append(DateMention(m.start(), m.end(), relative=relative))
    found.sort(key=lambda d: d.start)
    return found


def _time_context(work: str, m: re.Match[str]) -> bool:
    """«اليوم» alone is often «today's health system»; only count it near a clause verb."""
    before = work[max(0, m.start() - 25) : m.start()]
    return bool(re.search(r"(تم|جرى|وقع|انعقد|احتضن|ترأس|اشرف|أشرف)\S*\s*[،,]?\s*$", before))


def _look_back(work: str, start: int, weekday_allowed: bool = True) -> tuple[int | None, int | None, int]:
    """Weekday and relative word written just before a date: «أمس الإثنين 19 نونبر»."""
    weekday = relative = None
    window = work[max(0, start - 40) : start]
    offset = start - len(window)
    last = _last_just_before(_WEEKDAY_RE, window) if weekday_allowed else None
    if last:
        weekday = _which(last, _WEEKDAYS)
        start = offset + last.start()
        window = window[: last.start()]
    last = _last_just_before(_RELATIVE_RE, window)
    if last:
        relative = _which(last, _RELATIVE)
        start = offset + last.start()
    return weekday, relative, start


def _last_just_before(pattern: re.Pattern, window: str) -> re.Match | None:
    """The last match of `pattern` in `window` when only spaces and commas follow it."""
    last = None
    for m in pattern.finditer(window):
        last = m
    if last and not window[last.end() :].strip(" ,،"):
        return last
    return None


def resolve(mention: DateMention, article_date: date | None) -> date | None:
    """The calendar date a mention refers to, or None when the text does not allow it."""
    if mention.full:
        return mention.full
    if article_date is None:
        return None
    if mention.day and mention.month:
        try:
            return date(article_date.year, mention.month, mention.day)
        except ValueError:
            return None
    if mention.relative is not None:
        resolved = article_date + timedelta(days=mention.relative)
        if mention.weekday is not None and resolved.weekday() != mention.weekday:
            # «أمس الثلاثاء» that contradicts the article date: trust the weekday.
            return _latest_weekday(article_date, mention.weekday)
        return resolved
    if mention.weekday is not None:
        return _latest_weekday(article_date, mention.weekday)
    return None


def _latest_weekday(reference: date, weekday: int) -> date:
    return reference - timedelta(days=(reference.weekday() - weekday) % 7)
