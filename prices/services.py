"""Comparing a parsed price piece with the current lines, and applying it with history."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.bulk import insert_rows
from core.text import fold

from .models import ColumnMapping, PriceImport, PriceLine, PriceLineVersion, PriceSource
from .parsing import ParsedLine

PRICE_FIELDS = ("kind", "price", "discount", "list_price", "net_price", "on_quote")
TEXT_FIELDS = ("reference", "designation", "publisher", "category", "unit", "lot")
DIFF_SAMPLE = 200  # lines of each kind kept for display


def search_text(values):
    """Folded words of a line (its fields by name), padded with spaces so " word" finds a word's start."""
    words = (values["reference"], values["designation"], values["publisher"], values["category"], values["unit"])
    return f" {fold(' '.join(words))} "


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
        text = f"remise {format_percent(line.discount)} %"
        return text + (f" → {format_decimal(line.net_price)} €" if line.net_price is not None else "")
    return f"{format_decimal(line.price)} €"


def format_decimal(value):
    """Money, one format everywhere: 89,00 and 1 234,50 (narrow no-break space for thousands)."""
    if value is None:
        return ""
    return f"{Decimal(value):,.2f}".replace(",", "\u202f").replace(".", ",")


def format_percent(value):
    """A rate without trailing zeros: 20, 12,5."""
    if value is None:
        return ""
    text = format_decimal(value)
    return text.rstrip("0").rstrip(",") if "," in text else text


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


LINE_FIELDS = ("source", "market", "holder", "key", "applies_from", "active", "search_text", "updated_at")
LINE_FIELDS += PRICE_FIELDS + TEXT_FIELDS
VERSION_FIELDS = ("line", "price_import", "applies_from", "recorded_at", "removed", *PRICE_FIELDS[1:])


@transaction.atomic
def apply_lines(*, market, document, parsed_lines, applies_from, holder=None, lot="", price_import=None):
    """Write `parsed_lines` as the source's lines: new, changed (a version each), removed.

    New lines and versions go through `insert_rows` (a 20,000-line piece in a second or two);
    existing lines are rewritten only when something of theirs changed.
    """
    source, _ = PriceSource.objects.update_or_create(
        market=market, document=document, defaults={"holder": holder, "lot": lot}
    )
    existing = {line.key: line for line in PriceLine.objects.filter(source=source)}
    now = timezone.now()
    holder_id = holder.pk if holder else None
    created, to_update, versions = [], [], []
    seen = set()
    for new in parsed_lines:
        seen.add(new.key)
        line = existing.get(new.key)
        values = {name: getattr(new, name) for name in (*PRICE_FIELDS, *TEXT_FIELDS)}
        values["lot"] = new.lot or lot
        if line is None:
            created.append((new.key, values))
            continue
        changed = not line.active or _price_changed(line, new)
        if not changed and line.holder_id == holder_id and all(getattr(line, k) == v for k, v in values.items()):
            continue
        for name, value in values.items():
            setattr(line, name, value)
        line.holder_id = holder_id
        line.search_text = search_text(vars(line))
        line.updated_at = now
        if changed:
            line.active = True
            line.applies_from = applies_from
            versions.append(_version(line.pk, vars(line), applies_from, price_import, now))
        to_update.append(line)
    removed = [line for key, line in existing.items() if key not in seen and line.active]
    for line in removed:
        line.active, line.updated_at = False, now
        versions.append(_version(line.pk, vars(line), applies_from, price_import, now, removed=True))
    rows = [
        (source.pk, market.pk, holder_id, key, applies_from, True, search_text(values), now)
        + tuple(values[name] for name in (*PRICE_FIELDS, *TEXT_FIELDS))
        for key, values in created
    ]
    insert_rows(PriceLine, LINE_FIELDS, rows)
    if created:  # the new lines' ids, for their first version
        ids = dict(PriceLine.objects.filter(source=source, updated_at=now).values_list("key", "pk"))
        versions += [_version(ids[key], values, applies_from, price_import, now) for key, values in created]
    PriceLine.objects.bulk_update(
        to_update + removed,
        ["active", "applies_from", "holder", "search_text", "updated_at", *PRICE_FIELDS, *TEXT_FIELDS],
        batch_size=2000,
    )
    insert_rows(PriceLineVersion, VERSION_FIELDS, versions)
    return source


def _version(line_id, values, applies_from, price_import, now, removed=False):
    """A PriceLineVersion row (VERSION_FIELDS) of the prices in `values` (a line's fields by name)."""
    prices = tuple(values[name] for name in PRICE_FIELDS[1:])
    return (line_id, price_import.pk if price_import else None, applies_from, now, removed, *prices)


def remember_columns(market, columns):
    ColumnMapping.objects.update_or_create(market=market, defaults={"columns": columns})


def remembered_columns(market):
    mapping = ColumnMapping.objects.filter(market=market).first()
    return mapping.columns if mapping else {}
