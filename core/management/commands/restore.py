from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import database_is_empty, restore


class Command(BaseCommand):
    help = "Restaure une sauvegarde (manage.py backup) dans la base migrée et les stockages configurés."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--force", action="store_true", help="Remplacer une base qui a déjà des comptes.")

    def handle(self, *, folder, force, **options):
        if not (folder / "manifest.json").exists():
            raise CommandError(f"{folder} n'est pas une sauvegarde (manifest.json absent).")
        if not force and not database_is_empty():
            raise CommandError("La base contient déjà des comptes : --force pour la remplacer.")
        manifest = restore(folder)
        counts = ", ".join(f"{len(files)} fichier(s) {alias}" for alias, files in manifest["files"].items())
        self.stdout.write(f"Restauration terminée : {counts}, sommes de contrôle vérifiées.")
