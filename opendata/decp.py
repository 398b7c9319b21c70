"""The DECP files: JSON (schema_decp_v2.0.3.json) and XML (schema_decp_v2.0.2.xsd), same records."""

import json
from decimal import Decimal

from lxml import etree


def _number(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


def record(contract, *, buyer):
    """One contract's record: a market without lots, or one lot (opendata.selectors.Contract)."""
    data, market = contract.data, contract.data.market
    entry = {
        "id": contract.identifier,
        "acheteur": {"id": buyer},
        "nature": data.nature,
        "objet": contract.subject[:1000],
        "codeCPV": contract.cpv_code,
        "techniques": {"technique": list(data.techniques)},
        "modalitesExecution": {"modaliteExecution": list(data.execution_modes)},
        "marcheInnovant": data.innovative,
        "ccag": data.ccag,
        "offresRecues": contract.offers_received,
        "attributionAvance": data.advance_granted,
        "typeGroupementOperateurs": data.operators_grouping,
        "sousTraitanceDeclaree": data.subcontracting_declared,
        "procedure": data.procedure,
        "lieuExecution": {"code": data.place_code, "typeCode": data.place_kind},
        "dureeMois": contract.duration_months,
        "dateNotification": market.notified_on.isoformat(),
        "datePublicationDonnees": contract.first_published_on.isoformat(),
        "montant": _number(contract.amount),
        "typesPrix": {"typePrix": list(data.price_types)},
        "formePrix": data.price_form,
        "titulaires": [
            {"titulaire": {"typeIdentifiant": "SIRET", "id": holder.decp.siret}} for holder in contract.holders
        ],
        "considerationsSociales": {"considerationSociale": list(data.social_considerations)},
        "considerationsEnvironnementales": {"considerationEnvironnementale": list(data.environmental_considerations)},
    }
    if data.advance_granted and data.advance_rate is not None:
        entry["tauxAvance"] = _number(data.advance_rate)
    return entry


def to_json(rows, *, buyer) -> bytes:
    document = {"marches": {"marche": [record(row, buyer=buyer) for row in rows]}}
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def _append(parent, name, value):
    element = etree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)
    return element


def to_xml(rows, *, buyer) -> bytes:
    root = etree.Element("marches")
    for row in rows:
        marche = etree.SubElement(root, "marche")
        for key, value in record(row, buyer=buyer).items():
            if key == "titulaires":
                holders = etree.SubElement(marche, "titulaires")
                for item in value:
                    _append(holders, "titulaire", item["titulaire"])
            elif isinstance(value, dict) and len(value) == 1 and isinstance(next(iter(value.values())), list):
                (child, items), container = next(iter(value.items())), etree.SubElement(marche, key)
                for item in items:
                    _append(container, child, item)
            else:
                _append(marche, key, value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
