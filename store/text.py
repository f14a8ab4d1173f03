"""Text normalisation shared by the loaders (which index) and the API (which searches).

Folding makes search case-, accent- and script-aware: "Leonov", "Léonov" and
"Леонов" all fold to "leonov".
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "i",
            "yi",
            "ye",
            "g",
        ],
        strict=True,
    )
)
_NON_WORD = re.compile(r"[^a-z0-9]+")


_TRANSLITERATION = str.maketrans(_CYRILLIC)


def fold(text: str) -> str:
    """Lowercase ASCII words separated by single spaces."""
    text = text.casefold()
    if not text.isascii():
        text = text.translate(_TRANSLITERATION)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_WORD.sub(" ", text).strip()


def slugify(text: str) -> str:
    """The slug a name would have: folded words joined by "-"."""
    return fold(text).replace(" ", "-")
