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
    title, code, subtitle = market["title"], market["code"], market["subtitle"]
    year = notified_on.year
    dates = f"Notifié le {_fr_date(notified_on)}, jusqu'au {_fr_date(ends_on)}."

    @cache
    def cctp():
        return files.pdf(
            f"Cahier des clauses techniques particulières — {title}",
            [
                "## Article 1 — Objet",
                market["summary"],
                "## Article 2 — Allotissement",
                *_lot_lines(market),
                "## Article 3 — Exigences techniques",
                "Les produits et services sont conformes aux normes en vigueur, documentés en français et "
                "maintenus pendant toute la durée de l'accord-cadre.",
                "## Article 4 — Niveaux de service",
                "Le titulaire accuse réception de chaque bon de commande sous deux jours ouvrés et livre dans les "
                "délais de son offre. Il remet à la CANUT un reporting semestriel.",
            ],
            subtitle=subtitle,
        )

    @cache
    def ccap():
        return files.pdf(
            f"Cahier des clauses administratives particulières — {title}",
            [
                "## Article 1 — Forme de l'accord-cadre",
                f"{subtitle}, passé par la CANUT, centrale d'achat, au sens des articles L2113-2 et suivants du code "
                "de la commande publique, sans minimum et avec un maximum fixé au règlement de la consultation.",
                "## Article 2 — Durée",
                dates,
                "## Article 3 — Prix",
                "Les prix du bordereau sont des prix maximums, fermes la première année puis révisables "
                "annuellement. Les bénéficiaires peuvent obtenir de meilleures conditions.",
                "## Article 4 — Exécution",
                "Chaque bénéficiaire émet ses bons de commande, réceptionne et règle directement le titulaire.",
                "## Article 5 — Pénalités",
                "Pénalité de retard : 1/1000e du montant du bon de commande par jour calendaire de retard.",
            ],
            subtitle=subtitle,
        )

    @cache
    def rc():
        return files.pdf(
            f"Règlement de la consultation — {title}",
            [
                "## Procédure",
                "Appel d'offres ouvert européen, en application des articles R2124-2 et R2161-2 à R2161-5 du code "
                "de la commande publique.",
                "## Critères d'attribution",
                "Valeur technique : 60 %. Prix : 40 %.",
                "## Calendrier",
                dates,
            ],
            subtitle=f"Consultation n° {year}-AOO-{code}",
        )

    @cache
    def price_sheet():
        if market["price_piece"] == "catalogue":
            return files.catalogue_xlsx(content.catalogue_rows())
        return files.bpu_xlsx(title, market["bpu"])

    def summary():
        return files.pdf(
            f"Fiche marché — {title}",
            [
                market["summary"],
                "## Dates",
                dates,
                "## Titulaires et lots",
                *_lot_lines(market),
                "## Comment en bénéficier ?",
                "Inscrivez-vous sur le portail de la CANUT, puis cliquez sur « Préparer sa souscription » sur la "
                "page du marché : vous recevez la convention de mise à disposition et accédez aux pièces et aux "
                "contacts commerciaux, sans engagement.",
            ],
            subtitle=subtitle,
            rows=(
                [["Référence", "Désignation", "Prix maximum HT (€)"]]
                + [[ref, label, f"{price:.2f}"] for ref, label, _unit, price in market["bpu"][:6]]
                if market.get("bpu")
                else None
            ),
        )

    def dce():
        price_name = "CATALOGUE" if market["price_piece"] == "catalogue" else "BPU"
        return files.zip_archive(
            {
                f"{year}_AOO_{code}_RC.pdf": rc(),
                f"{year}_AOO_{code}_CCAP.pdf": ccap(),
                f"{year}_AOO_{code}_CCTP.pdf": cctp(),
                f"{year}_AOO_{code}_{price_name}.xlsx": price_sheet(),
            }
        )

    price_kind = market["price_piece"]
    price_label = "Liste des solutions logicielles" if price_kind == "catalogue" else "Bordereau des prix unitaires"
    price_filename = (
        "Liste solutions logicielles CANUT_fevrier 2024.xlsx" if price_kind == "catalogue" else f"BPU_{code}.xlsx"
    )
    specs = [
        PieceSpec(
            "summary", Audience.PUBLIC, "Fiche marché", f"Fiche marché — {title}", f"Fiche marché {code}.pdf", summary
        ),
        PieceSpec(
            "cctp",
            Audience.PUBLIC,
            "Cahier des clauses techniques particulières (CCTP)",
            f"CCTP — {title}",
            f"{year}_AOO_{code}_CCTP_FINAL.pdf",
            cctp,
        ),
        PieceSpec(price_kind, Audience.PUBLIC, price_label, f"{price_label} — {title}", price_filename, price_sheet),
        PieceSpec(
            "ccap",
            Audience.MEMBERS,
            "Cahier des clauses administratives particulières (CCAP)",
            f"CCAP — {title}",
            f"{year}_AOO_{code}_CCAP_FINAL.pdf",
            ccap,
        ),
        PieceSpec(
            "rc",
            Audience.MEMBERS,
            "Règlement de la consultation (RC)",
            f"RC — {title}",
            f"{year}_AOO_{code}_RC_FINAL.pdf",
            rc,
        ),
        PieceSpec(
            "convention",
            Audience.SUBSCRIBERS,
            "Convention de mise à disposition à compléter",
            f"Convention de mise à disposition — {title}",
            f"Convention MAD_{code}.docx",
            lambda: files.convention_docx(title, subtitle),
        ),
        PieceSpec(
            "dce",
            Audience.SUBSCRIBERS,
            "Dossier de consultation des entreprises (DCE)",
            f"DCE — {title}",
            f"DCE_{code}.zip",
            dce,
        ),
    ]
    for holder_key in dict.fromkeys(entry["holder"] for entry in _entries(market)):
        holder_name = content.HOLDERS[holder_key][0]
        specs += [
            PieceSpec(
                "application",
                Audience.SUBSCRIBERS,
                f"Candidature {holder_name}",
                f"Candidature {holder_name} — {title}",
                f"CANDIDATURE_{code}_{holder_key.upper()}.zip",
                _holder_archive(
                    title, holder_name, "Candidature", ["Lettre de candidature (DC1)", "Déclaration du candidat (DC2)"]
                ),
                holder_key,
            ),
            PieceSpec(
                "offer",
                Audience.SUBSCRIBERS,
                f"Offre {holder_name}",
                f"Offre {holder_name} — {title}",
                f"OFFRE_{code}_{holder_key.upper()}.zip",
                _holder_archive(title, holder_name, "Offre", ["Acte d'engagement", "Mémoire technique"]),
                holder_key,
            ),
        ]
    for number, amendment in enumerate(market.get("amendments", []), start=1):
        specs.append(
            PieceSpec(
                "amendment",
                Audience.SUBSCRIBERS,
                amendment,
                f"{amendment} — {title}",
                f"AVENANT_{number}_{code}.pdf",
                lambda amendment=amendment: files.pdf(
                    amendment, [f"Accord-cadre {title}.", "Le présent avenant met à jour la liste des solutions."]
                ),
            )
        )
    if market.get("guide"):
        specs.append(
            PieceSpec(
                "guide",
                Audience.SUBSCRIBERS,
                market["guide"],
                f"{market['guide']} — {title}",
                f"Guide utilisateur {code}.pdf",
                lambda: files.pdf(
                    market["guide"],
                    [
                        "## Se connecter",
                        f"Rendez-vous sur {market.get('portal_url', '')} et demandez votre accès.",
                        "## Demander un devis",
                        "Recherchez la solution dans le catalogue, ajoutez-la au panier et demandez un devis.",
                    ],
                ),
            )
        )
    return specs


def _holder_archive(title, holder_name, heading, documents):
    def build():
        return files.zip_archive(
            {
                f"{doc}.pdf": files.pdf(doc, [f"{heading} de {holder_name} pour l'accord-cadre {title}."])
                for doc in documents
            }
        )

    return build
