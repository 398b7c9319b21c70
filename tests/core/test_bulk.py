"""core.bulk.insert_rows: plain tuples in, the same values read back through the ORM.

PostgreSQL takes them through COPY, other databases through their fields' preparation and
one executemany: the suite runs on both (SQLite by default, PostgreSQL with DATABASE_URL),
so each path is checked where it runs.
"""

import datetime
from decimal import Decimal

import psycopg
import pytest
from django.db import DatabaseError, transaction
from django.db.models.signals import post_save

from billing.models import FeeBand, FeeSchedule
from core.bulk import insert_rows
from core.models import EmailFailure

pytestmark = pytest.mark.django_db

FAILED_AT = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)


def test_text_and_dates_come_back_as_they_went_in():
    tricky = "Réf. « 12 » ; l'ordre \"O'Brien\"\ttab\nsecond line, \\N and \\. too"
    insert_rows(
        EmailFailure,
        ["failed_at", "template", "recipients", "subject", "attempts", "reason"],
        [
            (FAILED_AT, "members/emails/welcome", "a@b.fr", tricky, 3, "=1+1"),
            (FAILED_AT + datetime.timedelta(days=1), "t", "c@d.fr", "", 1, "5.5.1 refused"),
        ],
    )
    rows = list(EmailFailure.objects.order_by("failed_at").values_list("failed_at", "subject", "attempts", "reason"))
    assert rows == [
        (FAILED_AT, tricky, 3, "=1+1"),
        (FAILED_AT + datetime.timedelta(days=1), "", 1, "5.5.1 refused"),
    ]


def test_decimals_nulls_and_foreign_keys_are_prepared_by_their_fields():
    schedule = FeeSchedule.objects.create(year=2026)
    insert_rows(
        FeeBand,
        ["schedule", "basis", "low", "high", "amount", "non_member_amount"],
        [
            (schedule.pk, "population", 0, 999, Decimal("120.50"), None),
            (schedule.pk, "population", 1000, None, Decimal("0.10"), Decimal("99999.99")),
        ],
    )
    bands = list(schedule.bands.order_by("low").values_list("low", "high", "amount", "non_member_amount"))
    assert bands == [(0, 999, Decimal("120.50"), None), (1000, None, Decimal("0.10"), Decimal("99999.99"))]


def test_no_signal_is_sent_and_no_rows_is_nothing():
    saved = []

    def receiver(**kwargs):
        saved.append(kwargs["instance"])

    post_save.connect(receiver, sender=EmailFailure)
    try:
        fields = ["failed_at", "template", "recipients", "subject", "attempts", "reason"]
        insert_rows(EmailFailure, fields, [])
        insert_rows(EmailFailure, fields, [(FAILED_AT, "t", "r", "", 1, "x")])
    finally:
        post_save.disconnect(receiver, sender=EmailFailure)
    assert saved == [] and EmailFailure.objects.count() == 1


def test_a_row_of_the_wrong_length_writes_nothing():
    fields = ["failed_at", "template", "recipients", "subject", "attempts", "reason"]
    with pytest.raises((ValueError, DatabaseError, psycopg.Error)), transaction.atomic():
        insert_rows(EmailFailure, fields, [(FAILED_AT, "t", "r", "", 1, "x"), (FAILED_AT, "t", "r", "", 1)])
    assert not EmailFailure.objects.exists()
