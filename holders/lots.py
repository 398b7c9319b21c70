"""Which lots of an agreement a holder holds, read from the agreement's lots (the one
place editors write them)."""

from markets.blocks import UNALLOTTED_LABEL


def lot_label(lot_value) -> str:
    return f"{lot_value.label} – {lot_value['title']}"


def holder_lots(*, market, holder) -> list[str]:
    """The labels of `holder`'s lots on `market` ("Lot n°2 – Téléphonie"), or the
    unallotted label when the agreement has no lots but names the holder."""
    labels = [
        lot_label(block.value)
        for block in market.lots
        if any(entry["holder"] and entry["holder"].pk == holder.pk for entry in block.value["holders"])
    ]
    if labels:
        return labels
    if any(block.value["holder"] and block.value["holder"].pk == holder.pk for block in market.holders):
        return [UNALLOTTED_LABEL]
    return []
