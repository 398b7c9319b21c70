"""Factories for the subscription tests. UserFactory and EstablishmentFactory are small on
purpose: the lead reconciles them with tests/factories/members.py."""

import io

import factory
from django.core.files.base import ContentFile
from docx import Document
from stdnum import luhn

from members.models import Establishment, Subscription, User
from tests.factories.markets import MarketDocumentFactory


def siren_for(n: int) -> str:
    base = f"{(12345678 + n * 7919) % 100000000:08d}"
    return base + luhn.calc_check_digit(base)


def siret_for(siren: str, n: int = 1) -> str:
    base = f"{siren}{n % 10000:04d}"
    return base + luhn.calc_check_digit(base)


class UserFactory(factory.django.DjangoModelFactory):
    """An active member (validated account)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@mairie-exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    status = User.Status.ACTIVE
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-solide")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"COMMUNE DE TEST {n}")
    siren = factory.Sequence(siren_for)
    siret = factory.LazyAttribute(lambda o: siret_for(o.siren))
    ape_code = "84.11Z"
    chorus_code = factory.Sequence(lambda n: f"CHORUS{n}")
    street_number = "1"
    street_name = "PLACE DE LA MAIRIE"
    postcode = "26110"
    city = "NYONS"
    status = Establishment.Status.VALIDATED

    @factory.post_generation
    def users(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.users.add(*extracted)


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A bare subscription row (no convention, no permission): for listing and query counts.
    The journey goes through members.subscriptions.services.subscription_request."""

    class Meta:
        model = Subscription

    establishment = factory.SubFactory(EstablishmentFactory)


def docx_bytes(*paragraphs, table_cells=(), header="") -> bytes:
    """A .docx whose paragraphs are lists of runs, so placeholders can straddle runs."""
    document = Document()
    if header:
        document.sections[0].header.paragraphs[0].add_run(header)
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for index, text in enumerate([runs] if isinstance(runs, str) else runs):
            run = paragraph.add_run(text)
            run.bold = index % 2 == 1
    if table_cells:
        table = document.add_table(rows=1, cols=len(table_cells))
        for cell, text in zip(table.rows[0].cells, table_cells):
            cell.paragraphs[0].add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def blank_convention_document(title="Convention à compléter"):
    content = docx_bytes(
        ["Entre la CANUT et ", "{{etab", "lissement}}", " (SIRET ", "{{ siret }", "})"],
        ["Adresse : {{adresse}}"],
        ["Marché : ", "{{", "marche", "}}", " — fait le {{date}}"],
        ["Champ inconnu : {{inconnu}}"],
        table_cells=("SIREN", "{{siren}}"),
        header="Convention {{marche}}",
    )
    return MarketDocumentFactory(title=title, file=ContentFile(content, name="convention-vierge.docx"))


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
