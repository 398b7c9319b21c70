"""The pieces of one demo market: which documents, for whom, and their generated content."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from markets.access import Audience

from . import content, files


@dataclass(frozen=True)
class PieceSpec:
    kind: str
    audience: str
    label: str  # shown on the market page
    doc_title: str  # unique among documents: the loader reuses a document by this title
    filename: str
    build: Callable[[], bytes]
    holder_key: str | None = None


def _fr_date(value):
    return value.strftime("%d/%m/%Y")


def _holder_names(market):
    names = []
    for entry in _entries(market):
        name = content.HOLDERS[entry["holder"]][0]
        if name not in names:
            names.append(name)
    return names


def _entries(market):
    for lot in market.get("lots", []):
        yield from lot["holders"]
    yield from market.get("holders", [])


def _lot_lines(market):
    lines = []
    for lot in market.get("lots", []):
        number = f"Lot n°{lot['number']}" if lot["number"] else "Lot unique"
        holders = ", ".join(
            content.HOLDERS[e["holder"]][0] + (f" ({e['window']})" if e["window"] else "") for e in lot["holders"]
        )
        lines.append(f"{number} — {lot['title']} : {holders}")
    if not lines:
        lines.append("Marché non alloti : " + ", ".join(_holder_names(market)))
    return lines


def market_pieces(market, notified_on, ends_on):
    """The PieceSpecs of `market` (a dict of content.MARKETS), public ones first."""
    contents = _Contents(market, notified_on, ends_on)
    return [
        *_general_pieces(contents),
        *_holder_pieces(contents),
        *_amendment_pieces(contents),
        *_guide_pieces(contents),
    ]


class _Contents:
    """The generated files of one market. The DCE zips the RC, CCAP, CCTP and price sheet
    that are also pieces of their own: each is built once."""

    def __init__(self, market, notified_on, ends_on):
        self.market = market
        self.title, self.code, self.subtitle = market["title"], market["code"], market["subtitle"]
        self.year = notified_on.year
        self.dates = f"Notifié le {_fr_date(notified_on)}, jusqu'au {_fr_date(ends_on)}."
        self.price_kind = market["price_piece"]
        for name in ("cctp", "ccap", "rc", "price_sheet"):
            setattr(self, name, cache(getattr(self, name)))

    def cctp(self):
        return files.pdf(
            f"Cahier des clauses techniques particulières — {self.title}",
            [
                "## Article 1 — Objet",
                self.market["summary"],
                "## Article 2 — Allotissement",
                *_lot_lines(self.market),
                "## Article 3 — Exigences techniques",
                "Les produits et services sont conformes aux normes en vigueur, documentés en français et "
                "maintenus pendant toute la durée de l'accord-cadre.",
                "## Article 4 — Niveaux de service",
                "Le titulaire accuse réception de chaque bon de commande sous deux jours ouvrés et livre dans les "
                "délais de son offre. Il remet à la CANUT un reporting semestriel.",
            ],
            subtitle=self.subtitle,
        )

    def ccap(self):
        return files.pdf(
            f"Cahier des clauses administratives particulières — {self.title}",
            [
                "## Article 1 — Forme de l'accord-cadre",
                f"{self.subtitle}, passé par la CANUT, centrale d'achat, au sens des articles L2113-2 et suivants "
                "du code de la commande publique, sans minimum et avec un maximum fixé au règlement de la "
                "consultation.",
                "## Article 2 — Durée",
                self.dates,
                "## Article 3 — Prix",
                "Les prix du bordereau sont des prix maximums, fermes la première année puis révisables "
                "annuellement. Les bénéficiaires peuvent obtenir de meilleures conditions.",
                "## Article 4 — Exécution",
                "Chaque bénéficiaire émet ses bons de commande, réceptionne et règle directement le titulaire.",
                "## Article 5 — Pénalités",
                "Pénalité de retard : 1/1000e du montant du bon de commande par jour calendaire de retard.",
            ],
            subtitle=self.subtitle,
        )

    def rc(self):
        return files.pdf(
            f"Règlement de la consultation — {self.title}",
            [
                "## Procédure",
                "Appel d'offres ouvert européen, en application des articles R2124-2 et R2161-2 à R2161-5 du code "
                "de la commande publique.",
                "## Critères d'attribution",
                "Valeur technique : 60 %. Prix : 40 %.",
                "## Calendrier",
                self.dates,
            ],
            subtitle=f"Consultation n° {self.year}-AOO-{self.code}",
        )

    def price_sheet(self):
        if self.price_kind == "catalogue":
            return files.catalogue_xlsx(content.catalogue_rows())
        return files.bpu_xlsx(self.title, self.market["bpu"])

    def summary(self):
        bpu = self.market.get("bpu")
        return files.pdf(
            f"Fiche marché — {self.title}",
            [
                self.market["summary"],
                "## Dates",
                self.dates,
                "## Titulaires et lots",
                *_lot_lines(self.market),
                "## Comment en bénéficier ?",
                "Inscrivez-vous sur le portail de la CANUT, puis cliquez sur « Préparer sa souscription » sur la "
                "page du marché : vous recevez la convention de mise à disposition et accédez aux pièces et aux "
                "contacts commerciaux, sans engagement.",
            ],
            subtitle=self.subtitle,
            rows=(
                [["Référence", "Désignation", "Prix maximum HT (€)"]]
                + [[ref, label, f"{price:.2f}"] for ref, label, _unit, price in bpu[:6]]
                if bpu
                else None
            ),
        )

    def convention(self):
        return files.convention_docx(self.title, self.subtitle)

    def dce(self):
        prefix = f"{self.year}_AOO_{self.code}"
        price_name = "CATALOGUE" if self.price_kind == "catalogue" else "BPU"
        return files.zip_archive(
            {
                f"{prefix}_RC.pdf": self.rc(),
                f"{prefix}_CCAP.pdf": self.ccap(),
                f"{prefix}_CCTP.pdf": self.cctp(),
                f"{prefix}_{price_name}.xlsx": self.price_sheet(),
            }
        )


def _general_pieces(contents):
    """The market's own pieces: summary, CCTP and price sheet in public, CCAP and RC for
    members, the convention and the DCE for subscribers."""
    code, prefix = contents.code, f"{contents.year}_AOO_{contents.code}"
    if contents.price_kind == "catalogue":
        price_label, price_filename = (
            "Liste des solutions logicielles",
            "Liste solutions logicielles CANUT_fevrier 2024.xlsx",
        )
    else:
        price_label, price_filename = "Bordereau des prix unitaires", f"BPU_{code}.xlsx"
    pieces = [
        # kind, audience, label, short title, file name, content
        ("summary", Audience.PUBLIC, "Fiche marché", "Fiche marché", f"Fiche marché {code}.pdf", contents.summary),
        (
            "cctp",
            Audience.PUBLIC,
            "Cahier des clauses techniques particulières (CCTP)",
            "CCTP",
            f"{prefix}_CCTP_FINAL.pdf",
            contents.cctp,
        ),
        (contents.price_kind, Audience.PUBLIC, price_label, price_label, price_filename, contents.price_sheet),
        (
            "ccap",
            Audience.MEMBERS,
            "Cahier des clauses administratives particulières (CCAP)",
            "CCAP",
            f"{prefix}_CCAP_FINAL.pdf",
            contents.ccap,
        ),
        ("rc", Audience.MEMBERS, "Règlement de la consultation (RC)", "RC", f"{prefix}_RC_FINAL.pdf", contents.rc),
        (
            "convention",
            Audience.SUBSCRIBERS,
            "Convention de mise à disposition à compléter",
            "Convention de mise à disposition",
            f"Convention MAD_{code}.docx",
            contents.convention,
        ),
        (
            "dce",
            Audience.SUBSCRIBERS,
            "Dossier de consultation des entreprises (DCE)",
            "DCE",
            f"DCE_{code}.zip",
            contents.dce,
        ),
    ]
    return [
        PieceSpec(kind, audience, label, f"{short} — {contents.title}", filename, build)
        for kind, audience, label, short, filename, build in pieces
    ]


def _holder_pieces(contents):
    """Each holder's application and offer, for subscribers."""
    title, code = contents.title, contents.code
    specs = []
    for holder_key in dict.fromkeys(entry["holder"] for entry in _entries(contents.market)):
        holder_name = content.HOLDERS[holder_key][0]
        documents = {
            "application": ("Candidature", ["Lettre de candidature (DC1)", "Déclaration du candidat (DC2)"]),
            "offer": ("Offre", ["Acte d'engagement", "Mémoire technique"]),
        }
        for kind, (heading, names) in documents.items():
            specs.append(
                PieceSpec(
                    kind,
                    Audience.SUBSCRIBERS,
                    f"{heading} {holder_name}",
                    f"{heading} {holder_name} — {title}",
                    f"{heading.upper()}_{code}_{holder_key.upper()}.zip",
                    _holder_archive(title, holder_name, heading, names),
                    holder_key,
                )
            )
    return specs


def _amendment_pieces(contents):
    title = contents.title
    return [
        PieceSpec(
            "amendment",
            Audience.SUBSCRIBERS,
            amendment,
            f"{amendment} — {title}",
            f"AVENANT_{number}_{contents.code}.pdf",
            lambda amendment=amendment: files.pdf(
                amendment, [f"Accord-cadre {title}.", "Le présent avenant met à jour la liste des solutions."]
            ),
        )
        for number, amendment in enumerate(contents.market.get("amendments", []), start=1)
    ]


def _guide_pieces(contents):
    market = contents.market
    if not market.get("guide"):
        return []
    guide = market["guide"]

    def build():
        return files.pdf(
            guide,
            [
                "## Se connecter",
                f"Rendez-vous sur {market.get('portal_url', '')} et demandez votre accès.",
                "## Demander un devis",
                "Recherchez la solution dans le catalogue, ajoutez-la au panier et demandez un devis.",
            ],
        )

    return [
        PieceSpec(
            "guide",
            Audience.SUBSCRIBERS,
            guide,
            f"{guide} — {contents.title}",
            f"Guide utilisateur {contents.code}.pdf",
            build,
        )
    ]


def _holder_archive(title, holder_name, heading, documents):
    def build():
        return files.zip_archive(
            {
                f"{doc}.pdf": files.pdf(doc, [f"{heading} de {holder_name} pour l'accord-cadre {title}."])
                for doc in documents
            }
        )

    return build
