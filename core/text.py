"""Text folding: the one rule by which search, the directory and convention placeholders
compare words, so "Sécurité" and "securite", "logiciels" and "logiciel" meet.

Elasticsearch folds with its French analyzer; the database backends (SQLite FTS5,
PostgreSQL) do not, so the folded text is indexed as an extra field and queries are folded
the same way before they are sent.
"""

import re
import unicodedata

MAX_QUERY_LENGTH = 200

STOP_WORDS = frozenset(
    "a au aux avec ce ces d dans de des du en et l la le les leur un une ou par pour sa se ses sur".split()
)
_WORD = re.compile(r"[a-z0-9]+")


def strip_accents(text):
    if not text or text.isascii():  # most words of a price list: nothing to decompose
        return text or ""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold_word(word):
    # Light plural folding: "logiciels" -> "logiciel", "reseaux" -> "reseau".
    if len(word) > 3 and word[-1] in "sx" and not word.isdigit():
        return word[:-1]
    return word


def fold(text):
    """Lowercase, accentless, plural-folded words of `text`, stop words removed."""
    words = (_fold_word(w) for w in _WORD.findall(strip_accents(text).lower()) if w not in STOP_WORDS)
    return " ".join(words)


def fold_query(query):
    """The folded form of a visitor's query; long queries are cut, never refused."""
    return fold((query or "")[:MAX_QUERY_LENGTH])


def folded_title(page):
    """A page's title, folded: the database backends match the visitor's folded words on it
    ("questions" finds "Questions fréquentes", "donnees" "Données personnelles")."""
    return fold(page.title)


def fold_name(name):
    """Sort key: accentless lowercase, every word kept (stop words matter for order)."""
    return strip_accents(name).lower().strip()[:255]


def fold_key(name):
    """ "Établissement", "etablissement", " ETABLISSEMENT " name the same key."""
    return strip_accents(name.strip().lower()).replace(" ", "_").replace("-", "_")
