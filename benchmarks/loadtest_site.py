"""The load run's portal: the bench settings, with the floor views served beside the site.

`DJANGO_SETTINGS_MODULE=benchmarks.loadtest_site` for gunicorn (benchmarks/loadtest.py):
the portal as production serves it, plus the bare views that give the same cards and
counts as "Tous les marchés" and "Produits et prix" (benchmarks.catalogue, .engine), so
each mix and its floor run on the same server, settings and middleware.
"""

from config.settings.bench import *  # noqa: F403

ROOT_URLCONF = "benchmarks.engine"
