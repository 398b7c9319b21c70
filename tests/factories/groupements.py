"""Factories for groupements. UserFactory and EstablishmentFactory stay small: the members
branch has fuller ones (tests/factories/members.py) the lead may merge these into."""

import io

import factory
from django.core.files.base import ContentFile
from openpyxl import Workbook
from stdnum import luhn

from members.groupements.spreadsheet import HEADERS, Row, rows_bytes
from members.models import Establishment, Groupement, GroupementMember, User

PASSWORD = "mot-de-passe-solide"


def valid_siren(n: int) -> str:
    base = f"{(22000000 + n * 7919) % 100000000:08d}"
    return base + luhn.calc_check_digit(base)


def valid_siret(n: int, establishment: int = 1) -> str:
    base = f"{valid_siren(n)}{establishment % 10000:04d}"
    return base + luhn.calc_check_digit(base)


class UserFactory(factory.django.DjangoModelFactory):
    """An active member (an account staff validated)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@groupement-exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Bernard{n}")
    status = User.Status.ACTIVE
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"equipe{n}@canut.org")
    is_staff = True
    is_superuser = True


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"COMMUNAUTE DE COMMUNES {n}")
    siren = factory.Sequence(lambda n: valid_siren(n + 500))
    siret = factory.LazyAttribute(lambda o: valid_siret_of(o.siren))
    ape_code = "84.11Z"
    postcode = "69002"
    city = "LYON"
    status = Establishment.Status.VALIDATED

    @factory.post_generation
    def users(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.users.add(*extracted)


def valid_siret_of(siren: str, establishment: int = 1) -> str:
    base = f"{siren}{establishment:04d}"
    return base + luhn.calc_check_digit(base)


def child_rows(count: int, *, start: int = 0) -> list[Row]:
    return [
        Row(
            number=i + 2,
            siret=valid_siret(start + i),
            name=f"COMMUNE ENFANT {start + i}",
            email=f"contact{start + i}@commune.example.fr",
        )
        for i in range(count)
    ]


def xlsx(rows, *, headers=HEADERS, extra_sheets=()) -> bytes:
    """A spreadsheet as a member might send it: any values, in any cell type."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for values in rows:
        sheet.append(list(values))
    for title in extra_sheets:
        workbook.create_sheet(title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class GroupementFactory(factory.django.DjangoModelFactory):
    """A pending groupement of `members` children (3 by default), rows and file included."""

    class Meta:
        model = Groupement
        skip_postgeneration_save = True

    parent = factory.SubFactory(EstablishmentFactory)
    name = factory.Sequence(lambda n: f"GPT_TEST_{n}")
    created_by = factory.LazyAttribute(lambda o: o.parent.users.first())
    spreadsheet = factory.LazyAttribute(lambda o: ContentFile(rows_bytes(child_rows(2)), name=f"{o.name}.xlsx"))

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if not create:
            return
        count = 3 if extracted is None else extracted
        for row in child_rows(count, start=1000 + obj.pk * 10):
            establishment, _ = Establishment.objects.get_or_create(
                siret=row.siret, defaults={"name": row.name, "siren": row.siret[:9], "postcode": "84820"}
            )
            GroupementMember.objects.create(
                groupement=obj,
                establishment=establishment,
                name=row.name,
                contact_email=row.email,
                row_number=row.number,
            )
