"""Agreement extraction from Moroccan press releases (Arabic and French).

Standard library only (defusedxml and pypdf, when a .docx or a .pdf is read: see `documents`):
no Django, no network, deterministic.

    from shiraka.extraction import extract
    draft = extract(text)
    draft.to_dict()              # the gold schema of shared/corpus
    draft.to_dict(spans=True)    # plus committee, programme and source spans
"""

from .extractor import extract
from .lang import detect_language
from .model import (
    AgreementDraft,
    AmountItem,
    CommitteeDraft,
    Draft,
    ExtractionResult,
    Mention,
    SignatoryDraft,
)

__all__ = [
    "AgreementDraft",
    "AmountItem",
    "CommitteeDraft",
    "Draft",
    "ExtractionResult",
    "Mention",
    "SignatoryDraft",
    "detect_language",
    "extract",
]
