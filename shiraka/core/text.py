"""Text normalisation for search: Arabic diacritics, tatweel and letter variants, French accents and
case are ignored, so «إنزكان», «انزكان» and «Inezgane» find what they should."""

import re
import unicodedata

ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
LETTER_VARIANTS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ء": "",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
})
SEPARATORS = re.compile(r"[\s\-‐–—_/.,;:()«»\"'’]+")


def search_normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = ARABIC_MARKS.sub("", text).translate(LETTER_VARIANTS)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return SEPARATORS.sub(" ", text.casefold()).strip()


def search_terms(query: str) -> list[str]:
    return [term for term in search_normalise(query).split(" ") if term][:8]
