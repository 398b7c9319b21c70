"""The computation without the database: Decimal, half-up per line, totals from the lines."""

import datetime
from decimal import Decimal

from prices.models import PriceLine
from simulations.computation import Entry, agreement_figures, line_figures

D = Decimal


def price_line(net, *, lot="", on_quote=False, active=True):
    return PriceLine(
        net_price=D(net) if net is not None else None,
        lot=lot,
        on_quote=on_quote,
        active=active,
        designation="Licence",
        applies_from=datetime.date(2026, 1, 1),
    )


def test_each_line_is_rounded_half_up_to_the_cent_as_invoices_are():
    # 12,5 × 0,05 € = 0,625 €: half-up gives 0,63 € (half-even would give 0,62 €); VAT 0,126 → 0,13 €.
    figures = line_figures(Entry(price_line=price_line("0.05"), quantity=D("12.5"), price_at_add=D("0.05")))
    assert (figures.total_excl_vat, figures.vat, figures.total_incl_vat) == (D("0.63"), D("0.13"), D("0.76"))
    assert isinstance(figures.total_excl_vat, Decimal)


def test_totals_are_the_sums_of_the_rounded_lines():
    entries = [
        Entry(price_line=price_line("0.05"), quantity=D("12.5"), price_at_add=None),
        Entry(price_line=price_line("0.05"), quantity=D("12.5"), price_at_add=None),
    ]
    agreement = agreement_figures(
        market=None, entries=entries, holders_of=lambda line: "", used=False, estimate=None, quote=None
    )
    # 2 × 0,63 = 1,26 €, not the 1,25 € of rounding the sum 1,25 once.
    assert (agreement.total_excl_vat, agreement.vat, agreement.total_incl_vat) == (D("1.26"), D("0.26"), D("1.52"))


def test_lines_on_quote_or_removed_are_shown_but_not_counted():
    entries = [
        Entry(price_line=price_line(None, on_quote=True), quantity=D("2"), price_at_add=None),
        Entry(price_line=price_line("10.00", active=False), quantity=D("2"), price_at_add=D("10.00")),
        Entry(price_line=price_line("10.00"), quantity=D("2"), price_at_add=D("10.00")),
    ]
    agreement = agreement_figures(
        market=None, entries=entries, holders_of=lambda line: "", used=False, estimate=None, quote=None
    )
    assert agreement.total_excl_vat == D("20.00")
    assert [line.priced for line in agreement.lines] == [False, False, True]
    assert not agreement.lines[1].price_changed  # removed, not "changed"


def test_the_gain_compares_what_is_paid_today_with_the_lines_it_covers():
    entries = [
        Entry(price_line=price_line("10.00"), quantity=D("3"), price_at_add=D("10.00"), paid_unit_price=D("12.50")),
        Entry(price_line=price_line("5.00"), quantity=D("1"), price_at_add=D("5.00")),  # not compared
    ]
    agreement = agreement_figures(
        market=None, entries=entries, holders_of=lambda line: "", used=True, estimate=None, quote=None
    )
    assert (agreement.reference, agreement.compared_excl_vat, agreement.gain) == (D("37.50"), D("30.00"), D("7.50"))
    assert agreement.gain_percent == D("20.0")
    assert agreement.compared_lines == 1


def test_an_agreement_quote_replaces_the_lines_paid_prices():
    entries = [Entry(price_line=price_line("10.00"), quantity=D("3"), price_at_add=None, paid_unit_price=D("99"))]
    agreement = agreement_figures(
        market=None, entries=entries, holders_of=lambda line: "", used=True, estimate=None, quote=D("29.00")
    )
    assert (agreement.gain, agreement.gain_percent) == (D("-1.00"), D("-3.4"))  # a loss is said as such
