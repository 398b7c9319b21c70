from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Benchmarks and load runs: installed by config.settings.bench only, never in production."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
