"""Word lists used by the phrase rules. All entries are in folded form (see text.fold)."""

from __future__ import annotations

from .text import fold


def _f(words: set[str]) -> frozenset[str]:
    """Entries are written readably; lookups use the folded form («إنشاء» → «انشا»)."""
    return frozenset(fold(w) for w in words)


# Titles of officials, Arabic (folded, without article) and French (lower case, no accents).
AR_TITLES = _f({
    "وزير", "وزيره", "والي", "عامل", "رييس", "رييسه", "مدير", "مديره", "مندوب", "مندوبه", "نايب", "نايبه",
    "كاتب", "كاتبه", "منسق", "منسقه", "سفير", "سفيره", "عميد", "عميده", "باشا", "قايد",
    "الوزير", "الوزيره", "الوالي", "العامل", "الرييس", "الرييسه", "المدير", "المديره", "المندوب",
    "المندوبه", "النايب", "النايبه", "الكاتب", "الكاتبه", "المنسق", "السفير", "العميد",
})
FR_TITLES = _f({
    "ministre", "wali", "gouverneur", "president", "presidente", "directeur", "directrice", "delegue",
    "deleguee", "secretaire", "chef", "maire", "ambassadeur", "ambassadrice", "recteur", "doyen", "pdg",
    "coordonnateur", "coordinateur", "vice-president", "vice-presidente",
})
AR_HONORIFICS = _f({"السيد", "السيده", "الدكتور", "الدكتوره", "البروفيسور", "البروفيسوره", "الاستاذ", "الاستاذه",
                 "الحاج", "الحاجه", "المهندس", "السادة"})
FR_HONORIFICS = _f({"m", "mme", "mlle", "mm", "dr", "pr", "monsieur", "madame", "messieurs"})

# Common Moroccan first names (folded). A name without honorific is recognised only when it
# starts with one of these, or when its shape («NAME، TITLE») leaves no doubt.
AR_FIRST_NAMES = _f({
    "محمد", "احمد", "امحمد", "محمود", "مصطفي", "خالد", "يوسف", "حسن", "الحسن", "حسين", "الحسين", "علي",
    "عمر", "عثمان", "ابراهيم", "اسماعيل", "ادريس", "رشيد", "سعيد", "سمير", "كريم", "عزيز", "نبيل", "فواد",
    "جمال", "كمال", "هشام", "مراد", "نور", "عز", "زين", "انس", "اناس", "شكيب", "بدر", "طارق", "عادل",
    "عبد", "عبدالله", "عبدالرحيم", "عبدالسلام", "عبداللطيف", "حميد", "الحبيب", "حبيب", "توفيق", "منير",
    "لحسن", "لحسين", "الطيب", "الطاهر", "المهدي", "مهدي", "امين", "ايوب", "حمزه", "زكرياء", "زكريا",
    "ياسين", "وليد", "نزار", "عمار", "صلاح", "جواد", "رضوان", "سفيان", "العربي", "المصطفي", "بوشعيب",
    "الحاج", "ميلود", "الميلود", "المختار", "مختار", "الهاشمي", "هاشم", "جلال", "فيصل", "نجيب",
    "فاطمه", "خديجه", "مريم", "ناديه", "نعيمه", "ليلي", "سعاد", "زهره", "الزهره", "امينه", "مباركه",
    "ثريا", "حكيمه", "لطيفه", "نزهه", "بشري", "سميره", "رشيده", "حفيظه", "كريمه", "وفاء", "اسماء",
    "سلمي", "هند", "سناء", "نجاه", "لبني", "رجاء", "عايشه", "جميله", "فتيحه", "نوال", "سميه", "منيه",
    "يونس", "عبدالحق", "عبدالكريم", "عبدالواحد", "عبدالنبي", "عبدالعالي", "ابو", "مولاي", "سيدي",
})
FR_PARTICLES = _f({"el", "al", "ben", "bin", "ait", "aït", "ould", "ibn", "abou", "bou", "de", "la", "le", "d"})

# Words that end a personal name (time words, connectors, prepositions).
AR_NAME_STOPS = _f({
    "في", "على", "علي", "من", "الي", "الى", "عن", "مع", "بين", "خلال", "يوم", "يومه", "امس", "اليوم",
    "صبيحه", "مساء", "صباح", "ظهر", "عشيه", "وذلك", "ذلك", "هذا", "هذه", "الذي", "التي", "بصفته", "بصفتها",
    "بمعيه", "رفقه", "جانب", "بحضور", "حيث", "كما", "وقد", "قد", "ان", "انه", "او", "ثم", "بعد", "قبل",
    "اتفاقيه", "الاتفاقيه", "مراسيم", "توقيع", "التوقيع", "لدى", "عند", "الذين", "ممثلا", "ممثله",
    "مدينه", "بمدينه", "بمقر", "مقر", "جهه", "مجلس", "وزاره", "عماله", "اقليم", "جماعه", "المملكه",
})
FR_NAME_STOPS = _f({"a", "et", "le", "la", "les", "du", "des", "de", "en", "au", "aux", "ont", "qui", "lors", "pour"})

# Heads that begin the name of an institution (Arabic folded without prefixes; French lower).
AR_HEADS = _f({
    "مجلس", "المجلس", "مجالس", "وزاره", "الوزاره", "ولايه", "الولايه", "عماله", "العماله", "جهه", "الجهه",
    "جماعه", "الجماعه", "جماعات", "الجماعات", "موسسه", "الموسسه", "جمعيه", "الجمعيه", "جمعيات", "وكاله",
    "الوكاله", "المديريه", "مديريه", "المندوبيه", "مندوبيه", "الاكاديميه", "اكاديميه", "جامعه", "الجامعه",
    "شركه", "الشركه", "مجموعه", "المجموعه", "اللجنه", "لجنه", "اللجان", "المصالح", "الحكومه", "صندوق",
    "الصندوق", "المقاوله", "الهييه", "هييه", "المكتب", "مكتب", "الفيدراليه", "فيدراليه", "الغرفه", "غرفه",
    "كليه", "الكليه", "المركز", "مركز", "المستشفي", "التعاون", "المبادره", "الاتحاد", "النادي", "مجمع",
    "منضمه", "المنضمه", "بنك", "البنك", "الخزينه", "اقليم", "الاقليم",
})
FR_HEADS = _f({
    "ministere", "conseil", "commune", "wilaya", "prefecture", "province", "region", "association",
    "associations", "fondation", "agence", "delegation", "direction", "comite", "groupe", "office",
    "universite", "societe", "centre", "ligue", "federation", "caisse", "fonds", "academie", "ordre",
    "chambre", "arrondissement", "banque", "organisation", "initiative", "gouvernement", "entraide",
    "mutuelle", "cooperative", "hopital", "chu", "etablissement", "departement", "groupement",
})

# Action nouns that open a project phrase.
AR_ACTIONS = _f({
    "انشاء", "احداث", "بناء", "تشييد", "تجهيز", "تهييه", "تاهيل", "اقتناء", "توفير", "تعزيز", "تطوير",
    "دعم", "توسيع", "التعاقد", "تعاقد", "تعيين", "تزويد", "تدبير", "تنظيم", "خلق", "تعويض", "تعميم",
    "اعداد", "مراجعه", "ترميم", "اصلاح", "انجاز", "تمويل", "اقامه", "تحديث", "تجديد", "التكفل", "ضمان",
    "تكوين", "صيانه", "تقويه", "توسعه", "ربط", "شراء", "وضع",
})
FR_ACTIONS = _f({
    "construction", "creation", "realisation", "acquisition", "equipement", "extension", "rehabilitation",
    "amenagement", "appui", "soutien", "amelioration", "gestion", "renforcement", "achat", "mise",
    "modernisation", "installation", "formation", "financement", "developpement", "renovation",
    "prise", "organisation",
})

# Words for agreements.
AR_AGREEMENT_WORDS = _f({
    "اتفاقيه", "الاتفاقيه", "اتفاقيات", "الاتفاقيات", "اتفاقيتين", "الاتفاقيتين", "اتفاقيتان",
    "الاتفاقيتان", "اتفاق", "الاتفاق", "مذكره", "المذكره", "مذكرات", "بروتوكول", "البروتوكول", "عقود",
    "العقود", "اتفاقيه-اطار",
})
FR_AGREEMENT_WORDS = _f({
    "convention", "conventions", "accord", "accords", "protocole", "protocoles", "memorandum",
    "convention-cadre", "conventions-cadres", "accord-cadre", "accords-cadres", "contrat", "contrats",
})

ORDINALS_AR = {  # folded keys
    "الاولي": 1, "الاول": 1, "الثانيه": 2, "الثاني": 2, "الثالثه": 3, "الثالث": 3, "الرابعه": 4,
    "الخامسه": 5, "السادسه": 6, "السابعه": 7, "الاخيره": 99,
}
ORDINALS_FR = {
    "premiere": 1, "premier": 1, "deuxieme": 2, "seconde": 2, "second": 2, "troisieme": 3, "quatrieme": 4,
    "cinquieme": 5, "sixieme": 6, "derniere": 99,
}
