"""Reads of the directory: the establishment search, by the directory then the register."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from core.text import fold

from .company_register import CompanyRegisterUnavailable, company_register_search
from .models import DirectoryEntry, DirectoryWord

MAX_QUERY_WORDS = 5
SELECTIVITY_CAP = 1000
_DIGITS = re.compile(r"^\d+$")


def _query_terms(query):
    """(words, numbers) of a search: folded words of 2+ letters, digit groups of 3+."""
    compact = re.sub(r"(?<=\d)[\s.]+(?=\d)", "", query or "")  # "130 025 265" is one number
    words, numbers = [], []
    for term in fold(compact[:200]).split():
        if _DIGITS.match(term):
            if len(term) >= 3:
                numbers.append(term[:14])
        elif len(term) >= 2:
            words.append(term[:60])
    return words[:MAX_QUERY_WORDS], numbers[:2]


def _entries_with_word(word):
    return DirectoryWord.objects.filter(word__folded_prefix=word).values("entry_id")


def _word_frequency(word, cap=SELECTIVITY_CAP):
    """How many entries have a word starting so (capped): an index-only count."""
    return _entries_with_word(word)[:cap].count()


def directory_search(*, query: str, limit: int | None = None) -> list[DirectoryEntry]:
    """Directory entries matching every word (prefix of a word of the name or city) and
    every number (a postcode, or the start of a SIRET/SIREN), sorted by name.

    One indexed condition drives the query (a number, else the rarest word), the others
    are checked per candidate through the entry's own few words: no table scan, and no
    large intermediate set when a common word ("commune") meets a rare one.
    """
    words, numbers = _query_terms(query)
    if not words and not numbers:
        return []
    entries = DirectoryEntry.objects.all()
    for number in numbers:
        condition = Q(siret__folded_prefix=number)
        if len(number) == 5:
            condition |= Q(postcode=number)
        entries = entries.filter(condition)
    if not numbers:
        driver = words[0] if len(words) == 1 else min(words, key=lambda w: (_word_frequency(w), -len(w)))
        entries = entries.filter(id__in=_entries_with_word(driver))
        words = [word for word in words if word != driver]
    for word in words:
        entries = entries.filter(
            Exists(DirectoryWord.objects.filter(entry_id=OuterRef("pk"), word__folded_prefix=word))
        )
    return list(entries.order_by("name_folded", "siret")[: limit or settings.DIRECTORY_SEARCH_LIMIT])


@dataclass
class EstablishmentSearch:
    """What the establishment search box shows."""

    query: str
    results: list = field(default_factory=list)  # DirectoryEntry or RegisterEstablishment
    source: str = "directory"  # "directory" or "register"
    register_unavailable: bool = False


def establishment_search(*, query: str) -> EstablishmentSearch:
    """The directory first; when it knows nothing, the public company register."""
    query = (query or "").strip()[:200]
    search = EstablishmentSearch(query=query)
    if not query:
        return search
    search.results = directory_search(query=query)
    if search.results:
        return search
    search.source = "register"
    try:
        search.results = company_register_search(query=query)
    except CompanyRegisterUnavailable:
        search.register_unavailable = True
    return search


def directory_entry_data(*, siret: str) -> dict | None:
    entry = DirectoryEntry.objects.filter(siret=siret).first()
    return entry.as_establishment_data() if entry else None


def register_entry_data(*, siret: str) -> dict | None:
    """The register's data for exactly this SIRET, or None (not found, or unreachable)."""
    try:
        results = company_register_search(query=siret)
    except CompanyRegisterUnavailable:
        return None
    return next((result.as_establishment_data() for result in results if result.siret == siret), None)
