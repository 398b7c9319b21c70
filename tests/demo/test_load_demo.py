import io
import re
import zipfile
from datetime import date
from io import StringIO

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from docx import Document as DocxDocument
from wagtail.models import Page, Site

from demo import content
from home.models import HomePage, SiteSettings, StandardPage
from markets.models import Holder, MarketDocument, MarketHolder, MarketPage, MarketPiece, MarketStatus, Theme

pytestmark = pytest.mark.django_db


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", "--force", *args, stdout=out)
    return out.getvalue()


def counts():
    models = [Page, MarketPage, StandardPage, Holder, Theme, MarketDocument, MarketPiece, MarketHolder, Site]
    models.append(get_user_model())
    return {model.__name__: model.objects.count() for model in models}


def read(document):
    with document.open_file() as f:
        return f.read()


def document(market_slug, kind, holder=None):
    pieces = MarketPiece.objects.filter(market__slug=market_slug, kind=kind).select_related("document")
    if holder:
        pieces = pieces.filter(holder__name=holder)
    return pieces.get().document


def test_running_twice_changes_nothing_but_what_it_is_asked_to(client):
    first = load_demo("--skip-index")
    before = counts()
    second = load_demo()  # with update_index this time
    third = load_demo("--skip-index", "--reset-passwords")

    assert counts() == before
    assert "Marchés : 12 créé(s)" in first
    assert "Marchés : 0 créé(s), 12 mis à jour" in second
    assert "Documents générés : 0" in second
    assert "inchangé" in second

    old_password = re.search(r"editeur@canut\.org\n\s+mot de passe : (\S+)", first).group(1)
    new_password = re.search(r"editeur@canut\.org\n\s+mot de passe : (\S+)", third).group(1)
    editor = get_user_model().objects.get(email="editeur@canut.org")
    assert editor.is_staff and editor.is_superuser
    assert editor.check_password(new_password) and not editor.check_password(old_password)

    member_password = re.search(r"adherent\.demo@canut\.org\n\s+mot de passe : (\S+)", third).group(1)
    # Through the login form: django-axes wants the request that client.login() lacks.
    response = client.post(
        reverse("members:login"), {"username": "adherent.demo@canut.org", "password": member_password}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert get_user_model().objects.get(email="adherent.demo@canut.org").is_active_member


def test_refuses_to_run_on_a_production_like_setup_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert not MarketPage.objects.exists()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for a class of read-only tests, rolled back afterwards.

    Each test still runs in its own savepoint (the `db` fixture), so none sees another's writes.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo("--skip-index")
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
class TestLoadedDemo:
    def test_home_page_replaces_wagtails_welcome_page_as_site_root(self):
        site = Site.objects.get(is_default_site=True)
        home = site.root_page.specific
        assert isinstance(home, HomePage)
        assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()
        slugs = set(home.get_children().values_list("slug", flat=True))
        assert {"marches", "qui-sommes-nous", "comment-commander", "conditions-et-prix-de-la-souscription"} <= slugs
        site_settings = SiteSettings.for_site(site)
        assert site_settings.contact_email == "canut@canut.org"
        assert site_settings.user_guide_page.slug == "guide-dutilisation-du-portail"
        assert site_settings.legal_notice_page and site_settings.accessibility_page and site_settings.personal_data_page

    def test_agreements_are_live_with_holders_themes_and_statuses(self):
        markets = MarketPage.objects.live()
        statuses = [market.status for market in markets]
        assert statuses.count(MarketStatus.CURRENT) >= 10
        assert MarketStatus.ENDED in statuses and MarketStatus.UPCOMING in statuses
        for market in markets:
            assert market.holder_links.exists() and market.themes.exists(), market.title
            assert market.has_unpublished_changes is False

        multi = markets.get(slug="multi-editeurs")
        assert (multi.notified_on, multi.ends_on) == (date(2024, 2, 27), date(2028, 2, 26))
        assert multi.portal_url == "https://services.fr.scc.com/CANUTME/"

        second_hand = markets.get(slug="logiciels-doccasion")
        [lot] = second_hand.lots
        entries = [(e["holder"].name, e["ordering_window"], e["contact_email"]) for e in lot.value["holders"]]
        assert entries == [
            ("SOFTCORNER", "Commandes du 1er au 15 du mois", "hmbaye@softcorner.fr"),
            ("PREO SOFTWARE", "Commandes du 16 au dernier jour du mois", "y.bouchakor@preo-ag.com"),
        ]
        assert any(len(market.lots) >= 2 for market in markets)

    def test_demo_content_passes_the_editors_validation(self):
        """What an editor could not save, the demo must not load either."""
        for market in MarketPage.objects.all():
            market.full_clean()
            for block_name in ("lots", "holders", "documents"):
                field = MarketPage._meta.get_field(block_name)
                field.stream_block.clean(getattr(market, block_name))
        for holder in Holder.objects.all():
            holder.full_clean()

    def test_generated_pieces_open_and_read_back(self):
        pdf = read(document("multi-editeurs", "cctp"))
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF") and len(pdf) > 1000

        convention = DocxDocument(io.BytesIO(read(document("multi-editeurs", "convention"))))
        text = "\n".join(p.text for p in convention.paragraphs)
        for placeholder in ("{{etablissement}}", "{{siret}}", "{{adresse}}", "{{marche}}", "{{date}}"):
            assert placeholder in text

        catalogue = openpyxl.load_workbook(io.BytesIO(read(document("multi-editeurs", "catalogue"))), read_only=True)
        rows = list(catalogue.active.iter_rows(values_only=True))
        assert rows[0][:2] == ("Éditeur", "Solution") and len(rows) == 1 + content.CATALOGUE_SIZE

        bpu = openpyxl.load_workbook(io.BytesIO(read(document("microsoft-et-alternatives", "bpu"))))
        prices = [row for row in bpu.active.iter_rows(min_row=4, values_only=True)]
        assert ("MS-365-E3", "Microsoft 365 E3, abonnement annuel par utilisateur", "utilisateur/an", 389) in prices

        with zipfile.ZipFile(io.BytesIO(read(document("multi-editeurs", "dce")))) as dce:
            names = dce.namelist()
            assert any(name.endswith("_CCAP.pdf") for name in names)
            assert all(dce.read(name) for name in names)
        offer = document("logiciels-doccasion", "offer", holder="PREO SOFTWARE")
        assert zipfile.ZipFile(io.BytesIO(read(offer))).testzip() is None

    def test_catalogue_renders_the_seeds_counts(self, client):
        html = client.get("/marches/").content.decode()

        assert "10 marchés trouvés" in html

        def facet(name, slug, label):
            match = re.search(rf'for="{name}-{slug}">{re.escape(label)} <span class="count"[^>]*>(\d+)<', html)
            return int(match.group(1))

        holders = [("scc", "SCC"), ("esi", "E.S.I."), ("econocom", "ECONOCOM")]
        assert [facet("titulaire", slug, name) for slug, name in holders] == [3, 2, 2]
        themes = [("logiciel", "Logiciel"), ("materiels", "Matériels"), ("prestation", "Prestation")]
        themes += [("securite", "Sécurité"), ("telecoms-et-reseaux", "Télécoms et réseaux")]
        assert [facet("theme", slug, name) for slug, name in themes] == [6, 4, 2, 1, 1]

        assert "1 marché trouvé" in client.get("/marches/", {"q": "occasion"}).content.decode()
        assert "12 marchés trouvés" in client.get("/marches/", {"statut": "tous"}).content.decode()

    def test_editorial_text_does_not_contradict_the_computed_figures(self, client):
        from markets.selectors import catalogue_figures

        figures = catalogue_figures()
        for url in ("/", "/qui-sommes-nous/"):
            text = re.sub(r"<[^>]+>", " ", client.get(url).content.decode())
            text = re.sub(r"\s+", " ", text)
            for number, noun in re.findall(r"(\d[\d  ]*) (titulaires?|accords?-cadres?)", text):
                kind = "holders" if noun.startswith("titulaire") else "markets"
                assert int(re.sub(r"\D", "", number)) == figures[kind], f"{url}: « {number} {noun} »"

    def test_home_page_and_public_pieces_work_for_visitors(self, client):
        html = client.get("/").content.decode()
        assert "10</strong> accords-cadres en cours" in html
        assert "Guide d'utilisation portail" in html and "Mentions légales" in html

        response = client.get(document("multi-editeurs", "summary").url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
        assert client.get(document("multi-editeurs", "convention").url).status_code == 302  # to the login page

    def test_demo_accounts_are_confirmed_and_staff_see_one_join_request(self, client):
        from members.models import PendingChange, User

        assert not User.objects.filter(status="active", email_confirmed_at__isnull=True).exists()
        member = User.objects.get(email="adherent.demo@canut.org")
        assert member.establishments.filter(name="COMMUNE DE NYONS").exists()
        [change] = PendingChange.objects.filter(kind="attachment", status="pending")
        assert change.establishment.name == "COMMUNE DE NYONS" and change.objections.get().user == member
        client.force_login(User.objects.get(email="editeur@canut.org"))
        page = client.get(reverse("changes_admin:decide", args=[change.pk])).content.decode().replace("&#x27;", "'")
        assert "Thomas Nouveau rejoint COMMUNE DE NYONS, qui a déjà 1 utilisateur" in page
        assert "Je ne connais pas cette personne" in page


def test_demo_billing_schedules_and_invoices_in_each_state_print_right(client):
    """Fees and invoices in the demo: schedules, a free market, a member with an invoice in
    each state; every character the demo's invoices and credit notes print is a glyph of the
    embedded font, reads back, and their Factur-X passes the EN 16931 rules."""
    from billing.facturx_xml import credit_note_xml, invoice_xml
    from billing.models import CreditNote, FeeSchedule, Invoice, MarketFee
    from billing.pdf import _draw, credit_note_document, credit_note_pdf, invoice_document, invoice_pdf, missing_glyphs
    from tests.billing.schematron import failures
    from tests.billing.test_pdf import flat, pdftotext

    out = load_demo("--skip-index")
    load_demo("--skip-index")  # idempotent: nothing issued twice
    assert "adherent.factures@canut.org" in out
    assert FeeSchedule.objects.filter(year=date.today().year).exists()
    assert MarketFee.objects.filter(market__slug="formation-au-numerique", free=True).exists()
    invoices = list(Invoice.objects.filter(establishment__name="COMMUNE DE VISAN"))
    assert len(invoices) == 6
    client.force_login(get_user_model().objects.get(email="adherent.factures@canut.org"))
    page = client.get(reverse("billing:invoices")).content.decode()
    for label in ("À payer", "En retard", "Payée", "Annulée par avoir", "Rejetée par Chorus Pro"):
        assert f">{label}</span>" in page, label
    documents = [(i, invoice_document(i), invoice_pdf(i), invoice_xml(i)) for i in invoices]
    for note in CreditNote.objects.filter(invoice__in=invoices).select_related("invoice"):
        documents.append((note.invoice, credit_note_document(note), credit_note_pdf(note), credit_note_xml(note)))
    assert len(documents) == 8
    for invoice, document, pdf_bytes, xml in documents:
        _, drawn = _draw(invoice, document)
        assert missing_glyphs("".join(drawn)) == set()
        text = flat(pdftotext(pdf_bytes))
        assert all(flat(line) in text for line in drawn)
        assert "IBAN : FR76 3000 6000 0112 3456 7890 189" in text or "Avoir" in document.title
        assert failures(xml) == []


@pytest.mark.usefixtures("demo")
class TestDemoPrices:
    def test_price_pieces_are_imported_with_list_prices(self, client):
        from prices.models import PriceLine

        catalogue = PriceLine.objects.filter(market__slug="multi-editeurs", active=True)
        assert catalogue.count() == content.CATALOGUE_SIZE
        assert not catalogue.filter(net_price__isnull=True).exists()
        office = PriceLine.objects.get(market__slug="microsoft-et-alternatives", reference="MS-365-E3")
        assert office.price == 389
        response = client.get("/prix/", {"q": "acrobat"})
        results = response.context["results"]
        assert results.total == catalogue.filter(designation__icontains="acrobat").count() > 2
        assert {v.name for v in results.facets["publisher"]} == {"Adobe"}
        assert "€ HT" in response.content.decode()

    def test_importing_the_demo_prices_again_adds_no_version(self):
        from demo.prices import ensure_prices
        from prices.models import PriceLineVersion

        before = PriceLineVersion.objects.count()
        ensure_prices(type("Tally", (), {"add": lambda self, created: None})())
        assert PriceLineVersion.objects.count() == before
