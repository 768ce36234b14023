"""The demo's fictional portfolio (`shiraka synth --fictional`) says what it is: in its titles and
source text, and by a marker file in the data folder that puts a banner on every page."""

from pathlib import Path

from django.conf import settings

FICTIONAL_AR = "[بيانات وهمية] "
FICTIONAL_FR = "[Données fictives] "
FICTIONAL_NOTE = (
    "Données fictives générées par « shiraka synth » pour la démonstration : aucun de ces accords n'existe.\n"
    "بيانات وهمية أنشأها الأمر «shiraka synth» للعرض التوضيحي: لا وجود لأي من هذه الاتفاقيات."
)


def fictional_marker() -> Path:
    """A file in the data folder that tells every page a fictional portfolio is loaded (a banner)."""
    return Path(settings.DATA_DIR) / "fictional-portfolio.txt"
