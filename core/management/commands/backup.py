from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import backup


class Command(BaseCommand):
    help = "Sauvegarde la base (fixtures) et les fichiers (privés et images) dans un dossier."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--files-only", action="store_true", help="Fichiers seulement (base sauvegardée par pg_dump)."
        )

    def handle(self, *, folder, files_only, **options):
        try:
            manifest = backup(folder, database=not files_only)
        except FileExistsError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{len(files)} fichier(s) {alias}" for alias, files in manifest["files"].items())
        self.stdout.write(f"Sauvegarde dans {folder} : {'fichiers' if files_only else 'base'}, {counts}.")
