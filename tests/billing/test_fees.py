"""The one fee computation: bands, proration by month, degressive rank, rounding."""

import datetime
from decimal import Decimal

import pytest

from billing.fees import band_for, billable_months, euros, fee_compute, money, validate_bands
from billing.models import FeeBand, FeeSchedule, SizeBasis
from tests.factories.billing import BANDS


def schedule(**fields):
    return FeeSchedule(year=2026, **fields)


def bands(rows=BANDS):
    return [FeeBand.from_row(row) for row in rows]


@pytest.mark.parametrize(
    ("finalized_on", "year", "months"),
    [
        (datetime.date(2026, 1, 1), 2026, 11),
        (datetime.date(2026, 1, 31), 2026, 11),
        (datetime.date(2026, 2, 1), 2026, 10),
        (datetime.date(2026, 5, 31), 2026, 7),
        (datetime.date(2026, 6, 1), 2026, 6),
        (datetime.date(2028, 2, 29), 2028, 10),  # leap day
        (datetime.date(2026, 11, 30), 2026, 1),
        (datetime.date(2026, 12, 1), 2026, 0),  # December: nothing this year
        (datetime.date(2026, 12, 31), 2026, 0),
        (datetime.date(2026, 12, 31), 2027, 12),
        (datetime.date(2025, 3, 15), 2026, 12),
        (datetime.date(2027, 1, 1), 2026, 0),
    ],
)
def test_billable_months_start_the_month_after_finalization(finalized_on, year, months):
    assert billable_months(finalized_on=finalized_on, year=year) == months


def test_the_issue_example_seven_months_of_350_is_204_17():
    fee = fee_compute(schedule=schedule(), bands=bands(), year=2026, months=7, rank=1, population=2960)
    assert fee.annual_amount == Decimal("350.00")
    assert fee.prorated_amount == Decimal("204.17")  # 204.1666… rounded half-up
    assert fee.total_excl_vat == Decimal("204.17")
    assert fee.vat_amount == Decimal("40.83")
    assert fee.total_incl_vat == Decimal("245.00")
    assert fee.lines[0].label == "Frais d'utilisation 2026 — 1\u202f000 à 4\u202f999 habitants — 7 mois sur 12"


def test_second_and_third_subscriptions_are_discounted_per_line_and_totals_add_the_lines():
    second = fee_compute(schedule=schedule(), bands=bands(), year=2026, months=7, rank=2, population=2960)
    assert [line.amount_excl_vat for line in second.lines] == [Decimal("204.17"), Decimal("-40.83")]
    assert second.lines[1].label == "2e souscription de l'année : −20 %"
    assert second.total_excl_vat == Decimal("163.34")
    assert second.vat_amount == Decimal("40.83") + Decimal("-8.17")
    third = fee_compute(schedule=schedule(), bands=bands(), year=2026, months=12, rank=5, population=2960)
    assert [line.amount_excl_vat for line in third.lines] == [Decimal("350.00"), Decimal("-140.00")]


def test_half_cent_rounds_up():
    assert money(Decimal("0.005")) == Decimal("0.01")
    assert money(Decimal("-0.005")) == Decimal("-0.01")
    assert money(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67


@pytest.mark.parametrize(
    ("size", "amount"),
    [
        ({"population": 0}, "150.00"),
        ({"population": 999}, "150.00"),
        ({"population": 1000}, "350.00"),
        ({"population": 250_000}, "700.00"),
        ({"headcount_band": "12"}, "200.00"),
        ({"headcount_band": "21"}, "500.00"),
        ({"headcount_band": "NN"}, "300.00"),  # non-employer: size unknown
        ({}, "300.00"),
    ],
)
def test_band_by_population_for_communes_by_sirene_headcount_otherwise_default_when_unknown(size, amount):
    assert band_for(bands(), **size).amount == Decimal(amount)


def test_non_members_pay_the_band_s_non_member_amount_when_there_is_one():
    fee = fee_compute(
        schedule=schedule(), bands=bands(), year=2026, months=12, rank=1, population=2960, non_member=True
    )
    assert fee.total_excl_vat == Decimal("450.00")
    same = fee_compute(schedule=schedule(), bands=bands(), year=2026, months=12, rank=1, population=20, non_member=True)
    assert same.total_excl_vat == Decimal("150.00")


def test_euros_are_written_the_french_way():
    assert euros(Decimal("204.17")) == "204,17\u00a0€"
    assert euros(Decimal("1234.5")) == "1\u202f234,50\u00a0€"


def test_valid_bands_have_no_errors():
    assert validate_bands(bands()) == []


def test_overlapping_bands_gaps_and_missing_default_are_named_in_french():
    rows = [
        (SizeBasis.POPULATION, 0, 1000, "1", None),
        (SizeBasis.POPULATION, 1000, 4999, "1", None),
        (SizeBasis.POPULATION, 6000, None, "1", None),
        (SizeBasis.HEADCOUNT, 10, 49, "1", None),
    ]
    errors = validate_bands(bands(rows))
    assert "Le barème doit avoir exactement une tranche par défaut (pour une taille inconnue)." in errors
    assert (
        "Les tranches « 0 à 1\u202f000 habitants » et « 1\u202f000 à 4\u202f999 habitants » se chevauchent." in errors
    )
    assert "Aucune tranche ne couvre de 5000 à 5999 habitants." in errors
    assert "Aucune tranche ne couvre de 0 à 9 salariés." in errors
    assert "Aucune tranche ne couvre au-delà de 49 salariés." in errors
