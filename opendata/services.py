"""Writes for open data: each market's essential data rows, kept in step with its lots."""

from django.db import transaction

from .models import LotEssentialData, MarketEssentialData
from .selectors import lot_blocks


@transaction.atomic
def essential_data_ensure(*, market) -> MarketEssentialData:
    """The market's essential data row, with one lot row per lot block of the live market:
    new lots get an empty row, a lot removed from the market takes its row away."""
    data, _ = MarketEssentialData.objects.get_or_create(market=market)
    blocks = lot_blocks(market)
    rows = {row.block_id: row for row in data.lots.all()}
    for block in blocks:
        row = rows.get(block.block_id)
        if row is None:
            LotEssentialData.objects.create(essential_data=data, block_id=block.block_id, number=block.number)
        elif row.number != block.number:
            row.number = block.number
            row.save(update_fields=["number"])
    gone = set(rows) - {block.block_id for block in blocks}
    if gone:
        LotEssentialData.objects.filter(essential_data=data, block_id__in=gone).delete()
    return data
