"""Import a large price file for a market piece from the command line: check, show the
difference, and apply with --apply (the admin does the same for ordinary files)."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from core.tables import TableUnreadable
from markets.models import MarketPiece
from prices.parsing import read_price_table
from prices.services import apply_lines, compare, current_lines, remember_columns, remembered_columns


class Command(BaseCommand):
    help = "Importe un fichier de prix (.xlsx, .ods, .csv) pour une pièce de marché (identifiant de MarketPiece)."

    def add_arguments(self, parser):
        parser.add_argument("piece", type=int, help="Identifiant de la pièce (MarketPiece)")
        parser.add_argument("path", help="Fichier .xlsx, .ods ou .csv")
        parser.add_argument("--apply", action="store_true", help="Appliquer les prix (sinon : vérification seule)")
        parser.add_argument("--applies-from", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, piece, path, apply, applies_from, **options):
        market_piece = MarketPiece.objects.select_related("market", "document").filter(pk=piece).first()
        if market_piece is None:
            raise CommandError(f"Aucune pièce n°{piece}.")
        market = market_piece.market
        started = time.perf_counter()
        try:
            with open(path, "rb") as handle:
                parsed = read_price_table(handle, remembered=remembered_columns(market))
        except (OSError, TableUnreadable) as error:
            raise CommandError(str(getattr(error, "messages", [error])[0])) from error
        for error in parsed.errors[:50]:
            self.stdout.write(f"Ligne {error['row']}, colonne {error['column'] or '—'} : {error['message']}")
        if parsed.errors:
            raise CommandError(f"{len(parsed.errors)} erreur(s) : rien n'est importé.")
        summary = compare(current_lines(market, market_piece.document), parsed.lines).summary()
        self.stdout.write(
            f"{len(parsed.lines)} ligne(s) lue(s) en {time.perf_counter() - started:.1f} s : "
            f"{summary['added']} ajoutée(s), {summary['removed']} retirée(s), {summary['up']} en hausse, "
            f"{summary['down']} en baisse, {summary['unchanged']} inchangée(s)."
        )
        if not apply:
            self.stdout.write("Vérification seule : relancez avec --apply pour appliquer.")
            return
        apply_lines(
            market=market,
            document=market_piece.document,
            parsed_lines=parsed.lines,
            applies_from=applies_from or datetime.date.today(),
            holder=market_piece.holder,
        )
        remember_columns(market, parsed.columns)
        self.stdout.write(self.style.SUCCESS(f"Prix appliqués en {time.perf_counter() - started:.1f} s."))
