"""What an uploaded file is, read from its content: the name proves nothing.

`content_kind` looks at the first bytes and, for zip archives, the names inside:
"pdf", "xlsx", "docx", "ods", "odt", "zip", "ole2" (.xls/.doc), "text", "unknown", or
"damaged" for an archive core.zips refuses (encrypted, exotic, lying, bomb).
`check_extension_matches` refuses a file whose name says one format and whose content is
another (a workbook named .pdf), with a French message naming what it really is.
`check_upload` is the one check of a file a person sends: size, extension, content, and for
an archive every member unpacked once within a budget ("endommagé ou illisible" otherwise).
"""

from django.core.exceptions import ValidationError

from core.zips import UnsafeArchive, open_archive

# What the names and the mimetype may be read from: no member is unpacked past 100 bytes.
SNIFF_MAX_INFLATED_BYTES = 4 * 1024**3
SNIFF_MAX_MEMBERS = 50_000  # a .zip of tender documents may hold many files
DAMAGED = "Ce fichier est endommagé ou illisible : enregistrez-le à nouveau, puis déposez-le."

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
    "damaged": "un fichier endommagé ou illisible",
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


def content_kind(file, *, verify_within: int | None = None) -> str:
    """The kind of `file`'s content. With `verify_within` (bytes), an archive is also
    unpacked once, member by member, within that budget: "damaged" if it does not hold."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if head.startswith(b"PK\x03\x04"):
        try:
            limit = SNIFF_MAX_INFLATED_BYTES if verify_within is None else verify_within
            with open_archive(file, max_inflated_bytes=limit, max_members=SNIFF_MAX_MEMBERS) as archive:
                names = set(archive.names)
                mimetype = archive.head("mimetype", 100).strip() if "mimetype" in names else b""
                if verify_within is not None:
                    archive.verify(nested=True)  # a .docx may embed a workbook
        except UnsafeArchive:
            return "damaged"
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
    if kind == "damaged":
        raise ValidationError(DAMAGED, code="damaged")
    if extension in EXPECTED and kind not in EXPECTED[extension]:
        raise ValidationError(
            f"Ce fichier porte l'extension .{extension} mais c'est {_LABELS[kind]} : "
            "enregistrez-le dans le bon format, ou donnez-lui l'extension de son contenu.",
            code="content_mismatch",
        )
    return kind


def _megabytes(size) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0")


def check_upload(file, *, extensions, max_bytes: int, max_inflated_bytes: int, messages=None) -> str:
    """The extension of an uploaded `file` once its size, its extension (one of
    `extensions`) and its content agree; else ValidationError with a French message and a
    code: "empty", "size", "extension", "content" or "damaged". `messages` rewords any
    code ({accepted} and {extension} are filled in)."""
    accepted = " ou ".join(f".{extension}" for extension in sorted(extensions))
    messages = {
        "empty": "Le fichier est vide.",
        "size": "Le fichier pèse {size} Mo : la limite est de {limit} Mo.",
        "extension": "Déposez un fichier {accepted}.",
        "content": "Ce fichier porte l'extension .{extension} mais n'est pas {expected} : c'est {label}.",
        "damaged": DAMAGED,
        **(messages or {}),
    }

    def refuse(code, **values):
        values = {"accepted": accepted, "extension": extension, **values}
        raise ValidationError(messages[code].format(**values), code=code)

    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    size = getattr(file, "size", None) or 0
    if size == 0:
        refuse("empty")
    if size > max_bytes:
        refuse("size", size=_megabytes(size), limit=_megabytes(max_bytes))
    if extension not in extensions:
        refuse("extension")
    archive = extension in EXPECTED["zip"]
    kind = content_kind(file, verify_within=max_inflated_bytes if archive else None)
    if kind == "damaged" and archive:
        refuse("damaged")
    if kind not in EXPECTED.get(extension, {extension}):
        expected = _LABELS.get(extension, f"un fichier .{extension}").split(" (")[0]
        refuse("content", expected=expected, label=_LABELS.get(kind, _LABELS["unknown"]))
    return extension
