"""Runs the local ProConnect stand-in (proconnect.devprovider) for a demonstration, and
prints how to point the portal at it. `PROCONNECT=1 scripts/demo` does both."""

from django.core.management.base import BaseCommand

from proconnect.devprovider import DEFAULT_IDENTITY, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, LocalProvider


class Command(BaseCommand):
    help = "Lance un fournisseur ProConnect local (démonstration, 127.0.0.1 seulement)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8800)

    def handle(self, *args, port, **options):
        provider = LocalProvider(client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET, port=port)
        self.stdout.write(self.style.SUCCESS(f"Fournisseur ProConnect local : {provider.issuer}"))
        self.stdout.write("Lancez le portail avec :")
        self.stdout.write(
            f"  PROCONNECT_CLIENT_ID={DEMO_CLIENT_ID} PROCONNECT_CLIENT_SECRET={DEMO_CLIENT_SECRET} \\\n"
            f"  PROCONNECT_DISCOVERY_URL={provider.discovery_url} \\\n"
            "  .venv/bin/python manage.py runserver"
        )
        self.stdout.write(
            "puis « S'identifier avec ProConnect » sur /compte/connexion/ : ce fournisseur demande seulement "
            f"l'identité à transmettre (par défaut {DEFAULT_IDENTITY['email']}, SIRET {DEFAULT_IDENTITY['siret']}, "
            "la COMMUNE DE NYONS de la démonstration ; adherent.demo@canut.org montre la liaison d'un compte existant)."
        )
        self.stdout.flush()
        try:
            provider.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            provider.server.server_close()
