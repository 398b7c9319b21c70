"""Builds the user guide PDF from the browser journeys' screenshots (see home/guide.py).

manage.py build_user_guide                 # var/guide/guide-utilisation-portail-canut.pdf
manage.py build_user_guide --publish       # and serve it as "Guide d'utilisation (PDF)"
"""

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError

from home import guide


class Command(BaseCommand):
    help = "Construit le guide d'utilisation (PDF accessible) à partir des copies d'écran des parcours."

    def add_arguments(self, parser):
        parser.add_argument("--screenshots", default=str(guide.SCREENSHOTS), help="dossier des copies d'écran")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "var" / "guide" / guide.FILENAME))
        parser.add_argument(
            "--publish", action="store_true", help="le servir comme guide du site par défaut (réglages du site)"
        )

    def handle(self, *args, screenshots, output, publish, **options):
        try:
            content, pictures = guide.guide_pdf(screenshots=Path(screenshots))
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(
                f"Guide écrit : {output} ({len(content) // 1024} Kio, {pictures} copie(s) d'écran "
                f"sur {len(guide.SECTIONS)} sections)"
            )
        )
        if pictures == 0:
            self.stdout.write(
                self.style.WARNING(f"Aucune copie d'écran dans {screenshots} : le guide n'a que son texte.")
            )
        if publish:
            document = publish_guide(content)
            self.stdout.write(self.style.SUCCESS(f"Guide publié : document « {document.title} »."))


def publish_guide(content: bytes):
    """The guide as the site settings' "Guide d'utilisation (PDF)", replacing the previous file."""
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, Site

    from home.models import SiteSettings

    model = get_document_model()
    document = model.objects.filter(title=guide.TITLE).first() or model(
        title=guide.TITLE, collection=Collection.get_first_root_node()
    )
    if document.file:
        document.file.delete(save=False)
    document.file.save(guide.FILENAME, ContentFile(content), save=False)
    document.file_size = len(content)
    document.save()
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.user_guide_document = document
    site_settings.save()
    return document
