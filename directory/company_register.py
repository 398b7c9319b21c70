"""Client of the public "API Recherche d'entreprises" (https://recherche-entreprises.api.gouv.fr).

Asked when the directory has no match. The API is free and rate-limited (429 with
Retry-After past 7 requests a second); it must never hold a registration hostage: every
failure becomes ``CompanyRegisterUnavailable`` after a few seconds at most, and the caller
shows the fallback message and lets the member type the fields by hand.
"""

import email.utils
import hashlib
import logging
import time
from dataclasses import asdict, dataclass

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .models import establishment_label

logger = logging.getLogger(__name__)

# Said once, to a public body (the register is only asked when the directory knows nothing);
# what to do next (the manual form, the assistance) follows it on the page.
UNAVAILABLE_MESSAGE = (
    "Le répertoire national des établissements ne répond pas pour le moment : vérifiez le SIRET de "
    "votre collectivité ou de votre établissement public, ou réessayez dans quelques minutes."
)
MIN_QUERY_LENGTH = 3  # the API refuses shorter queries
RESULTS_CACHE_SECONDS = 600
_BLOCKED_KEY = "company_register:blocked"


class CompanyRegisterUnavailable(Exception):
    """The register did not answer usefully (down, slow, rate-limited, garbled)."""


@dataclass(frozen=True)
class RegisterEstablishment:
    name: str
    siren: str
    siret: str
    ape_code: str = ""
    street_number: str = ""
    street_name: str = ""
    address_complement: str = ""
    postcode: str = ""
    city: str = ""
    legal_category: str = ""
    is_public_sector: bool = False

    @property
    def label(self):
        return establishment_label(name=self.name, siret=self.siret, city=self.city, postcode=self.postcode)

    def as_establishment_data(self):
        data = asdict(self)
        data.pop("legal_category")
        data.pop("is_public_sector")
        return data


def _text(value):
    return str(value).strip() if value not in (None, "[ND]") else ""


def _street(etab):
    """Number and street from the detailed fields, else cut from the one-line address."""
    number = _text(etab.get("numero_voie")) + _text(etab.get("indice_repetition"))
    name = " ".join(part for part in (_text(etab.get("type_voie")), _text(etab.get("libelle_voie"))) if part)
    if name:
        return number, name
    line = _text(etab.get("adresse"))
    tail = " ".join(part for part in (_text(etab.get("code_postal")), _text(etab.get("libelle_commune"))) if part)
    if tail and line.endswith(tail):
        line = line[: -len(tail)].strip()
    first, _, rest = line.partition(" ")
    if first.isdigit() and rest:
        return first, rest
    return "", line


def parse_search_response(payload, *, limit=25):
    """The establishments of an API answer: the matching ones, else each unit's head office."""
    found = []
    seen = set()
    for unit in payload.get("results") or []:
        siren = _text(unit.get("siren"))
        name = _text(unit.get("nom_raison_sociale")) or _text(unit.get("nom_complet"))
        legal_category = _text(unit.get("nature_juridique"))
        complements = unit.get("complements") or {}
        is_public = bool(complements.get("est_service_public")) or legal_category.startswith("7")
        head_office = unit.get("siege") or {}
        establishments = unit.get("matching_etablissements") or [head_office]
        for etab in establishments:
            siret = _text(etab.get("siret"))
            if not siret or siret in seen or not name:
                continue
            if siret == _text(head_office.get("siret")):
                etab = {**etab, **{k: v for k, v in head_office.items() if v is not None}}
            number, street = _street(etab)
            seen.add(siret)
            found.append(
                RegisterEstablishment(
                    name=name,
                    siren=siren or siret[:9],
                    siret=siret,
                    ape_code=_text(etab.get("activite_principale") or unit.get("activite_principale")),
                    street_number=number,
                    street_name=street,
                    address_complement=_text(etab.get("complement_adresse")),
                    postcode=_text(etab.get("code_postal")),
                    city=_text(etab.get("libelle_commune")),
                    legal_category=legal_category,
                    is_public_sector=is_public,
                )
            )
            if len(found) >= limit:
                return found
    return found


def _retry_after_seconds(response):
    value = (response.headers.get("Retry-After") or "").strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 1
    return max(0, int((when - timezone.now()).total_seconds()))


def _get(url, params):
    try:
        return requests.get(
            url,
            params=params,
            timeout=settings.COMPANY_REGISTER_TIMEOUT,
            headers={"Accept": "application/json", "User-Agent": "portail-canut (recherche d'établissement)"},
        )
    except requests.RequestException as error:
        logger.warning("Company register unreachable: %s", error)
        raise CompanyRegisterUnavailable from error


def company_register_search(*, query: str, limit: int | None = None) -> list[RegisterEstablishment]:
    """Establishments matching `query` (name, SIREN, SIRET…), at most 25.

    Answers are cached for a few minutes (typing the same query twice costs one request);
    a 429 is honoured: a short Retry-After is waited once, a long one stops every worker
    from asking (shared cache) until it has passed.
    """
    query = " ".join((query or "").split())[:200]
    if len(query) < MIN_QUERY_LENGTH:
        return []
    limit = min(limit or settings.COMPANY_REGISTER_MAX_RESULTS, settings.COMPANY_REGISTER_MAX_RESULTS)
    cache_key = "company_register:search:" + hashlib.sha256(f"{limit}:{query.lower()}".encode()).hexdigest()
    cached = cache.get(cache_key)
    if cached is not None:
        return [RegisterEstablishment(**item) for item in cached]
    if cache.get(_BLOCKED_KEY):
        raise CompanyRegisterUnavailable("rate-limited")

    url = settings.COMPANY_REGISTER_URL.rstrip("/") + "/search"
    params = {"q": query, "page": 1, "per_page": limit}
    response = _get(url, params)
    if response.status_code == 429:
        wait = _retry_after_seconds(response)
        if wait > settings.COMPANY_REGISTER_MAX_RETRY_WAIT:
            cache.set(_BLOCKED_KEY, True, timeout=wait)
            raise CompanyRegisterUnavailable(f"rate-limited for {wait}s")
        time.sleep(wait)
        response = _get(url, params)
        if response.status_code == 429:
            cache.set(_BLOCKED_KEY, True, timeout=max(1, _retry_after_seconds(response)))
            raise CompanyRegisterUnavailable("rate-limited")
    if response.status_code != 200:
        logger.warning("Company register answered %s", response.status_code)
        raise CompanyRegisterUnavailable(f"HTTP {response.status_code}")
    try:
        results = parse_search_response(response.json(), limit=limit)
    except (ValueError, AttributeError, TypeError) as error:
        raise CompanyRegisterUnavailable("unreadable answer") from error
    cache.set(cache_key, [asdict(item) for item in results], timeout=RESULTS_CACHE_SECONDS)
    return results
