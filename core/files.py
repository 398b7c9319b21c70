"""What an uploaded file is, read from its content: the name proves nothing.

`content_kind` looks at the first bytes and, for zip archives, the names inside:
"pdf", "xlsx", "docx", "ods", "odt", "zip", "ole2" (.xls/.doc), "text" or "unknown".
`check_extension_matches` refuses a file whose name says one format and whose content is
another (a workbook named .pdf), with a French message naming what it really is.
"""

import zipfile

from django.core.exceptions import ValidationError

_LABELS = {
    "pdf": "un PDF",
    "xlsx": "un classeur Excel (.xlsx)",
    "docx": "un document Word (.docx)",
    "ods": "un classeur OpenDocument (.ods)",
    "odt": "un texte OpenDocument (.odt)",
    "zip": "une archive .zip",
    "ole2": "un ancien fichier Office (.xls, .doc)",
    "text": "un fichier texte",
    "unknown": "un fichier d'un autre format",
}
# Which contents each extension may hold: an .xlsx or .docx is a zip archive too.
EXPECTED = {
    "pdf": {"pdf"},
    "xlsx": {"xlsx"},
    "docx": {"docx"},
    "ods": {"ods"},
    "odt": {"odt"},
    "zip": {"zip", "xlsx", "docx", "ods", "odt"},
    "csv": {"text"},
}


def content_kind(file) -> str:
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype")[:100].strip() if "mimetype" in names else b""
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError):
            return "unknown"
        finally:
            file.seek(0)
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
            return "ods"
        if mimetype == b"application/vnd.oasis.opendocument.text":
            return "odt"
        return "zip"
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
            return "text"
        except UnicodeDecodeError:
            if all(byte >= 0x20 or byte in b"\t\r\n" for byte in head):
                return "text"  # Windows-1252, as French Excel saves CSV
    return "unknown"


def check_extension_matches(file, name) -> str:
    """The content's kind, or ValidationError when `name`'s extension says another format."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = content_kind(file)
    if extension in EXPECTED and kind not in EXPECTED[extension]:
        raise ValidationError(
            f"Ce fichier porte l'extension .{extension} mais c'est {_LABELS[kind]} : "
            "enregistrez-le dans le bon format, ou donnez-lui l'extension de son contenu.",
            code="content_mismatch",
        )
    return kind
