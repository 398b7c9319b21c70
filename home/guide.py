"""The user guide ("Guide d'utilisation du portail adhérent"), built from the portal itself.

Its text is below; its pictures are the browser journeys' screenshots at 1280 px
(`var/screenshots/1280-guide-<key>.png`, taken by tests/browser/test_walk.py as a member
clicks through the portal), so the guide shows the screens as they are and never goes stale.
Debian's Chromium (the browser the journeys drive) prints the HTML to a tagged PDF:
headings tagged H1/H2, each screenshot a Figure with its alternative text, the document
language French, an outline for the reader's side panel.
"""

import base64
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from .models import VALIDATION_DELAY

TITLE = "Guide d'utilisation du portail adhérent"
FILENAME = "guide-utilisation-portail-canut.pdf"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@dataclass(frozen=True)
class Section:
    key: str  # the screenshot: 1280-guide-<key>.png
    heading: str
    paragraphs: tuple
    alt: str  # what the screenshot shows, for whoever cannot see it


SECTIONS = (
    Section(
        "accueil",
        "Découvrir le portail",
        (
            "Le portail de la CANUT présente ses accords-cadres et leurs pièces à tous. Le menu donne accès à "
            "« Tous les marchés », à « Produits et prix », aux pages d'information et, une fois connecté, à votre "
            "espace adhérent.",
        ),
        "Page d'accueil du portail CANUT : le menu principal, le texte d'accroche et les liens vers les marchés.",
    ),
    Section(
        "inscription",
        "S'inscrire : création d'un compte utilisateur",
        (
            "Cliquez sur « Se connecter » puis « inscrivez-vous ». Cherchez votre établissement par son nom, sa "
            "commune ou son SIRET : s'il est connu, ses informations se complètent seules ; sinon, renseignez-les.",
            "Complétez ensuite vos informations professionnelles (adresse e-mail professionnelle uniquement), "
            "confirmez votre adresse par le lien reçu par e-mail : votre demande est validée par la CANUT "
            f"{VALIDATION_DELAY}.",
        ),
        "Première étape de l'inscription : la recherche de l'établissement par nom, commune ou SIRET.",
    ),
    Section(
        "connexion",
        "Se connecter",
        (
            "Saisissez votre adresse e-mail et votre mot de passe. « Mot de passe oublié ? » vous envoie un lien "
            "pour en choisir un nouveau. Un compte en attente de validation vous est signalé à la connexion.",
        ),
        "Page de connexion : champs adresse e-mail et mot de passe, bouton Connexion.",
    ),
    Section(
        "tableau-de-bord",
        "Votre tableau de bord",
        (
            "Après la connexion, le tableau de bord résume vos souscriptions, vos établissements et vos "
            "groupements, et mène à chacun d'eux.",
        ),
        "Tableau de bord d'un adhérent : ses souscriptions en cours, ses établissements et ses groupements.",
    ),
    Section(
        "catalogue",
        "Rechercher un accord-cadre",
        (
            "Sur « Tous les marchés », cherchez par mot-clé, cochez un ou plusieurs titulaires ou thèmes. Les "
            "marchés en cours s'affichent d'abord ; les marchés terminés et à venir sont dans le filtre « Statut ». "
            "Chaque carte donne un accès direct à la fiche marché, au CCTP et au BPU ou au catalogue.",
        ),
        "Catalogue « Tous les marchés » : les filtres par statut, titulaire et thème, et les cartes des marchés.",
    ),
    Section(
        "marche",
        "Consulter un marché",
        (
            "La page d'un marché donne ses dates, ses lots et titulaires, ses pièces publiques et, pour un marché "
            "en cours, l'estimation des frais d'utilisation et le bouton « Préparer sa souscription ».",
        ),
        "Page d'un accord-cadre : dates, lots, pièces et encadré « Accéder à toutes les pièces ».",
    ),
    Section(
        "souscription",
        "Préparer sa souscription (sans engagement)",
        (
            "Choisissez l'établissement (ou le groupement), indiquez votre situation vis-à-vis de l'association "
            "CANUT — l'estimation des frais suit ce choix — puis soumettez. La convention de mise à disposition "
            "vous est envoyée par e-mail et les pièces du marché s'ouvrent à tous les utilisateurs de "
            "l'établissement.",
            "Seuls les marchés en cours acceptent une souscription : un marché terminé ou à venir l'indique.",
        ),
        "Formulaire « Préparer sa souscription » : choix de l'établissement, adhésion à l'association et "
        "estimation des frais.",
    ),
    Section(
        "gerer-mon-marche",
        "Finaliser sa souscription : « Gérer mon marché »",
        (
            "Complétez, datez et signez la convention puis renvoyez-la à la CANUT ; elle la contresigne et la "
            "dépose sur le portail sous une semaine ouvrée. L'onglet « Mon adhésion » suit les trois étapes "
            "(convention envoyée, reçue, finalisée) ; « Contacts commerciaux » et « Pièces du marché » donnent "
            "le reste.",
        ),
        "Page « Gérer mon marché », onglet Mon adhésion : les trois étapes de la convention et la suivante.",
    ),
    Section(
        "etablissements",
        "Mes établissements",
        (
            "Ajoutez un établissement, demandez la modification de ses informations (validée par la CANUT) ou "
            "quittez-le avec « Supprimer ». Le dernier utilisateur d'un établissement qui a des souscriptions en "
            "cours ne peut pas le quitter : la page le dit avant toute confirmation et propose de contacter la "
            "CANUT.",
        ),
        "Page « Mes établissements » : adresse, marchés et utilisateurs de chaque établissement.",
    ),
    Section(
        "groupements",
        "Groupements",
        (
            "Dans « Mes groupements », téléchargez le tableur, listez SIRET, nom et e-mail de chaque établissement "
            "enfant, déposez-le ; après validation par la CANUT, souscrivez « Pour un groupement ». L'établissement "
            "parent signe la convention pour tous ; les établissements enfants accèdent aux pièces sans rien signer.",
        ),
        "Page « Mes groupements » : le tableur à remplir et les groupements déposés avec leur statut.",
    ),
    Section(
        "prix",
        "Produits et prix",
        (
            "Cherchez un produit dans les pièces de prix des marchés en cours, filtrez par marché, titulaire, "
            "éditeur ou catégorie, comparez jusqu'à quatre lignes et exportez-les en tableur. Chaque ligne donne "
            "l'historique de son prix.",
        ),
        "Page « Produits et prix » : la recherche, les filtres et les lignes de prix avec leur titulaire.",
    ),
    Section(
        "assistance",
        "Assistance",
        (
            "Le lien « Besoin d'aide ? » ouvre une demande d'assistance avec le contexte de la page : choisissez "
            "le sujet, consultez les questions fréquentes, puis poursuivez votre demande si besoin. « Aide et "
            "contact » liste vos demandes et les réponses de la CANUT.",
        ),
        "Formulaire d'assistance : le contexte de la demande joint automatiquement et le choix du sujet.",
    ),
)


SCREEN_HEIGHT = 1400  # px of a full-page screenshot kept: what a person sees first, legible on A4


def _picture(directory: Path, key: str):
    """The screenshot as a data URL, cut to its first screens (a 5,000 px page would shrink to a strip)."""
    from PIL import Image

    path = directory / f"1280-guide-{key}.png"
    if not path.is_file():
        return None
    with Image.open(path) as image:
        if image.height > SCREEN_HEIGHT:
            image = image.crop((0, 0, image.width, SCREEN_HEIGHT))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def guide_html(*, screenshots: Path = SCREENSHOTS) -> tuple[str, int]:
    """The guide as one HTML document, and how many screenshots it shows."""
    sections = [{"section": s, "picture": _picture(Path(screenshots), s.key)} for s in SECTIONS]
    html = render_to_string("home/guide/user_guide.html", {"title": TITLE, "sections": sections})
    return html, sum(1 for s in sections if s["picture"])


def guide_pdf(*, screenshots: Path = SCREENSHOTS) -> tuple[bytes, int]:
    """The guide printed by Chromium to a tagged PDF, and how many screenshots it shows."""
    if not os.path.exists(CHROMIUM):
        raise RuntimeError("Chromium est introuvable : apt-get install chromium.")
    from playwright.sync_api import sync_playwright

    html, pictures = guide_html(screenshots=screenshots)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        try:
            page = browser.new_page()
            page.set_content(html, wait_until="load")
            content = page.pdf(
                format="A4",
                print_background=True,
                tagged=True,
                outline=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=(
                    '<div style="font-size:8px;width:100%;text-align:center;color:#444">'
                    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
                ),
                margin={"top": "15mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
            )
        finally:
            browser.close()
    return content, pictures
