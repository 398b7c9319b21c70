"""Groupements and the spreadsheets members send."""

import io

import factory
from django.core.files.base import ContentFile
from openpyxl import Workbook

from groupements.models import Groupement, GroupementMember
from groupements.spreadsheet import HEADERS, Row, rows_bytes
from members.models import Establishment
from tests.factories.directory import valid_siret
from tests.factories.members import EstablishmentFactory


def child_siret(n: int) -> str:
    """Children's SIRETs, far from the establishment factory's own sequence."""
    return valid_siret(500_000 + n)


def child_rows(count: int, *, start: int = 0) -> list[Row]:
    return [
        Row(
            number=i + 2,
            siret=child_siret(start + i),
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
