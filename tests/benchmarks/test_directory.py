import pytest
from django.core.management import call_command

from directory.models import DirectoryEntry, DirectoryWord

pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def test_benchmark_command_measures_and_leaves_nothing_behind(capsys):
    call_command("benchmark_directory", entries=1500, runs=30)
    output = capsys.readouterr().out
    assert "médiane" in output and "p95" in output
    assert DirectoryEntry.objects.count() == 0 and DirectoryWord.objects.count() == 0
