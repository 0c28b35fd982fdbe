"""Folding Vietnamese text: the one helper every concern compares with.

Steps: NFC (a PDF or a keyboard may give decomposed marks); the look-alike
Ð (U+00D0, Icelandic eth) and ð become đ — Vietnamese keyboards and OCR
produce it for Đ; lower case; then every letter with a mark → its base by an
explicit table, đ → d (Unicode decomposition would leave đ alone, and it is
the letter users most often type without its bar).

    normalize("Quyết ĐỊNH")   → "quyết định"
    fold("Quyết ĐỊNH")        → "quyet dinh"
    fold_words("Số: 05/QĐ-UBND") → "so 05 qd ubnd"

The search index (``indexing/analysis.py``), the state-secret refusal, the
urgency and paper-copy rules and the signer-role rules all use these.
"""
import re
import unicodedata

# Explicit folding table: every Vietnamese letter with a mark → its base.
_GROUPS = {
    "a": "àáảãạăằắẳẵặâầấẩẫậ",
    "e": "èéẻẽẹêềếểễệ",
    "i": "ìíỉĩị",
    "o": "òóỏõọôồốổỗộơờớởỡợ",
    "u": "ùúủũụưừứửữự",
    "y": "ỳýỷỹỵ",
    "d": "đ",
}
FOLD_TABLE = str.maketrans({ch: base for base, chars in _GROUPS.items() for ch in chars})
LOOKALIKES = str.maketrans({"Ð": "đ", "ð": "đ"})
_NOT_WORD = re.compile(r"[^\w]+")


def normalize(text):
    """NFC, look-alikes mapped to đ, lower case."""
    return unicodedata.normalize("NFC", text).translate(LOOKALIKES).lower()


def fold_normalized(text):
    """Diacritics removed from already normalised ``text`` (đ → d): the
    search analyser's per-token step."""
    return text.translate(FOLD_TABLE)


def fold(text):
    """Case, Unicode form, look-alikes and diacritics folded."""
    return fold_normalized(normalize(text or ""))


def fold_words(text):
    """:func:`fold`, punctuation as single spaces: for matching phrases."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())
