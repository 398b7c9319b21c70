"""Comparing a parsed price piece with the current lines, and applying it with history."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.text import fold

from .models import ColumnMapping, PriceImport, PriceLine, PriceLineVersion, PriceSource
from .parsing import ParsedLine

PRICE_FIELDS = ("kind", "price", "discount", "list_price", "net_price", "on_quote")
TEXT_FIELDS = ("reference", "designation", "publisher", "category", "unit", "lot")
DIFF_SAMPLE = 200  # lines of each kind kept for display


def search_text(line):
    """Folded words of a line, padded with spaces so " word" finds a word's start."""
    return f" {fold(' '.join((line.reference, line.designation, line.publisher, line.category, line.unit)))} "


@dataclass
class Diff:
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (current line, parsed line)
    unchanged: int = 0

    def summary(self):
        def change(current, new):
            old, new_net = _comparable(current), _comparable(new)
            percent = None
            if old and new_net is not None and old != 0:
                percent = float((new_net - old) / old * 100)
            return {
                "designation": new.designation,
                "reference": new.reference,
                "old": _show(current),
                "new": _show(new),
                "percent": round(percent, 1) if percent is not None else None,
                "direction": "up" if percent and percent > 0 else "down" if percent and percent < 0 else "other",
            }

        changes = [change(current, new) for current, new in self.changed]
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "up": sum(1 for c in changes if c["direction"] == "up"),
            "down": sum(1 for c in changes if c["direction"] == "down"),
            "other": sum(1 for c in changes if c["direction"] == "other"),
            "unchanged": self.unchanged,
            "added_lines": [
                {"designation": n.designation, "reference": n.reference, "new": _show(n)}
                for n in self.added[:DIFF_SAMPLE]
            ],
            "removed_lines": [
                {"designation": c.designation, "reference": c.reference, "old": _show(c)}
                for c in self.removed[:DIFF_SAMPLE]
            ],
            "changed_lines": sorted(changes, key=lambda c: -abs(c["percent"] or 0))[:DIFF_SAMPLE],
        }


def _comparable(line):
    """The figure a member compares: the net price, else the discount (as a negative)."""
    if line.net_price is not None:
        return line.net_price
    return None


def _show(line):
    if line.on_quote:
        return "sur devis"
    if line.kind == "remise":
        text = f"remise {format_decimal(line.discount)} %"
        return text + (f" → {format_decimal(line.net_price)} €" if line.net_price is not None else "")
    return f"{format_decimal(line.price)} €"


def format_decimal(value):
    if value is None:
        return ""
    value = Decimal(value)
    text = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    return text[:-3] if text.endswith(",00") and abs(value) < 100 and value == value.to_integral() else text


def _price_changed(current, new: ParsedLine):
    return any(getattr(current, name) != getattr(new, name) for name in PRICE_FIELDS)


def compare(source_lines, parsed_lines) -> Diff:
    """What applying `parsed_lines` would do to the active `source_lines`."""
    current = {line.key: line for line in source_lines}
    diff = Diff()
    for new in parsed_lines:
        line = current.pop(new.key, None)
        if line is None or not line.active:
            diff.added.append(new)
        elif _price_changed(line, new):
            diff.changed.append((line, new))
        else:
            diff.unchanged += 1
    diff.removed = [line for line in current.values() if line.active]
    return diff


def current_lines(market, document):
    return list(
        PriceLine.objects.filter(source__market=market, source__document=document).only(
            "pk", "key", "active", "designation", "reference", *PRICE_FIELDS, *TEXT_FIELDS
        )
    )


def compare_import(price_import: PriceImport, parsed_lines) -> Diff:
    return compare(current_lines(price_import.market, price_import.document), parsed_lines)


@transaction.atomic
def apply_lines(*, market, document, parsed_lines, applies_from, holder=None, lot="", price_import=None):
    """Write `parsed_lines` as the source's lines: new, changed (a version each), removed."""
    source, _ = PriceSource.objects.update_or_create(
        market=market, document=document, defaults={"holder": holder, "lot": lot}
    )
    existing = {line.key: line for line in PriceLine.objects.filter(source=source)}
    to_create, to_update, versions = [], [], []
    seen = set()
    for new in parsed_lines:
        seen.add(new.key)
        line = existing.get(new.key)
        values = {name: getattr(new, name) for name in (*PRICE_FIELDS, *TEXT_FIELDS)}
        values["lot"] = new.lot or lot
        if line is None:
            line = PriceLine(
                source=source, market=market, holder=holder, key=new.key, applies_from=applies_from, **values
            )
            line.search_text = search_text(line)
            to_create.append(line)
            continue
        changed = not line.active or _price_changed(line, new)
        for name, value in values.items():
            setattr(line, name, value)
        line.holder = holder
        line.search_text = search_text(line)
        if changed:
            line.active = True
            line.applies_from = applies_from
            versions.append(_version(line, applies_from, price_import))
        to_update.append(line)
    removed = [line for key, line in existing.items() if key not in seen and line.active]
    for line in removed:
        line.active = False
        versions.append(_version(line, applies_from, price_import, removed=True))
    now = timezone.now()
    for line in to_update + removed:
        line.updated_at = now
    PriceLine.objects.bulk_create(to_create, batch_size=2000)
    versions += [_version(line, applies_from, price_import) for line in to_create]
    PriceLine.objects.bulk_update(
        to_update + removed,
        ["active", "applies_from", "holder", "search_text", "updated_at", *PRICE_FIELDS, *TEXT_FIELDS],
        batch_size=2000,
    )
    PriceLineVersion.objects.bulk_create(versions, batch_size=2000)
    return source


def _version(line, applies_from, price_import, removed=False):
    return PriceLineVersion(
        line=line,
        price_import=price_import,
        applies_from=applies_from,
        price=line.price,
        discount=line.discount,
        list_price=line.list_price,
        net_price=line.net_price,
        on_quote=line.on_quote,
        removed=removed,
    )


def remember_columns(market, columns):
    ColumnMapping.objects.update_or_create(market=market, defaults={"columns": columns})


def remembered_columns(market):
    mapping = ColumnMapping.objects.filter(market=market).first()
    return mapping.columns if mapping else {}
