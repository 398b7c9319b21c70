"""Reads of the members app: keyword-only, typed, no side effects."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from markets.search_text import fold

from .company_register import CompanyRegisterUnavailable, RegisterEstablishment, company_register_search
from .models import DirectoryEntry, DirectoryWord, Establishment, PendingChange, User

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


def establishment_choice(*, siret: str) -> dict | None:
    """The fields of the establishment a member picked in the search results, or None."""
    siret = re.sub(r"\D", "", siret or "")[:14]
    if len(siret) != 14:
        return None
    entry = DirectoryEntry.objects.filter(siret=siret).first()
    if entry:
        return entry.as_establishment_data()
    known = Establishment.objects.filter(siret=siret, status=Establishment.Status.VALIDATED).first()
    if known:
        return {name: getattr(known, name) for name in ("name", "siren", "siret", "ape_code", "postcode", "city")}
    try:
        results: list[RegisterEstablishment] = company_register_search(query=siret)
    except CompanyRegisterUnavailable:
        return None
    for result in results:
        if result.siret == siret:
            return result.as_establishment_data()
    return None


def with_market_count(establishments: QuerySet[Establishment]) -> QuerySet[Establishment]:
    """Annotates `market_count`: the markets each establishment has a live subscription to."""
    live = Q(subscriptions__cancelled_on__isnull=True)
    return establishments.annotate(market_count=Count("subscriptions__market", filter=live, distinct=True))


def establishment_list_for_user(*, user: User) -> QuerySet[Establishment]:
    """The member's establishments, each with its users, its open changes and `market_count`.

    A fixed number of queries whatever the number of establishments.
    """
    return (
        with_market_count(Establishment.objects.filter(users=user))
        .prefetch_related(
            Prefetch("users", queryset=User.objects.order_by("last_name", "first_name")),
            Prefetch(
                "pending_changes",
                queryset=PendingChange.objects.pending().filter(kind=PendingChange.Kind.ESTABLISHMENT),
                to_attr="open_changes",
            ),
        )
        .order_by("name", "pk")
    )


def establishment_get_for_user(*, user: User, pk: int) -> Establishment:
    """One of the member's establishments; any other is a 404, never its data."""
    establishment = Establishment.objects.filter(users=user, pk=pk).first()
    if establishment is None:
        raise Http404("Établissement introuvable.")
    return establishment


def pending_change_for(*, user: User, kind: str, establishment: Establishment | None = None) -> PendingChange | None:
    return PendingChange.objects.pending().filter(requested_by=user, kind=kind, establishment=establishment).first()


def pending_attachments_for_user(*, user: User) -> QuerySet[PendingChange]:
    return (
        PendingChange.objects.pending()
        .filter(requested_by=user, kind=PendingChange.Kind.ATTACHMENT)
        .select_related("establishment")
    )


def validation_queue_counts() -> dict[str, int]:
    """What waits for staff: accounts, establishments and changes (admin dashboard)."""
    return {
        "accounts": User.objects.filter(status=User.Status.PENDING, is_staff=False).count(),
        "establishments": Establishment.objects.filter(status=Establishment.Status.PENDING).count(),
        "changes": PendingChange.objects.pending().count(),
    }
