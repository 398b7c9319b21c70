"""Crafted spreadsheets on the groupement upload: the reader's one answer, a 200 with the
message next to the field and nothing stored — never a 500, whatever byte is changed."""

import random

import pytest

from groupements.models import Groupement
from members.models import Establishment
from tests.factories.groupements import child_rows, xlsx
from tests.factories.hostile import variants

from .test_views import post_upload

GOOD = xlsx([(row.siret, row.name, row.email) for row in child_rows(3)])
CASES = variants(GOOD)


@pytest.mark.parametrize("case", CASES)
def test_a_crafted_archive_is_damaged_and_nothing_is_stored(member_client, parent, case):
    response = post_upload(member_client, parent, CASES[case])
    assert response.status_code == 200
    assert "endommagé ou illisible" in response.content.decode()
    assert not Groupement.objects.exists() and Establishment.objects.count() == 1


def test_no_byte_changed_in_a_workbook_gives_a_500(member_client, parent):
    member_client.raise_request_exception = False  # a 500 must show as a status, not stop the loop
    rng = random.Random(23)
    positions = sorted({*range(0, len(GOOD), max(1, len(GOOD) // 200)), *rng.sample(range(len(GOOD)), 100)})
    statuses = set()
    for position in positions:
        mutated = bytearray(GOOD)
        mutated[position] = (mutated[position] + rng.randrange(1, 256)) % 256
        response = post_upload(member_client, parent, bytes(mutated), name=f"G{position}")
        statuses.add(response.status_code)
        assert response.status_code in (200, 302), (position, response.status_code)
    assert len(positions) >= 250 and 200 in statuses
