"""Import a trusted-list XML file (default: SIGNATURES_TRUSTED_LIST_PATH). Never downloads:
the operator fetches the list (a cron job, a deployment step) and points this at it."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from signatures.services import trusted_list_import
from signatures.trust import MAX_LIST_BYTES


class Command(BaseCommand):
    help = "Importe une liste de confiance (XML ETSI TS 119 612) depuis un fichier local."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="", help="Fichier XML (défaut : SIGNATURES_TRUSTED_LIST_PATH)")

    def handle(self, *args, path="", **options):
        path = path or settings.SIGNATURES_TRUSTED_LIST_PATH
        if not path:
            raise CommandError("Indiquez un fichier, ou définissez SIGNATURES_TRUSTED_LIST_PATH.")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        if file.stat().st_size > MAX_LIST_BYTES:
            raise CommandError("Fichier trop volumineux pour une liste de confiance.")
        try:
            imported = trusted_list_import(data=file.read_bytes(), source=str(file))
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Liste {imported} importée : {imported.service_count} services, "
                f"dont {imported.qualified_count} qualifiés."
            )
        )
