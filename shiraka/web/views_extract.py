"""New agreement from a text (issue 4, point 4).

Step 1 (`web:extract`): paste a press release or upload a file (.txt, .docx, .pdf); bad input is
refused with a message and nothing changes.
Step 2 (`web:extract_review`): the text with every extracted value highlighted, beside a pre-filled
form per agreement the text reports; confirming one creates it through
`agreements.drafts.agreement_create_from_draft` (one transaction) and opens its page.

Between the two steps only the text is kept, in the server-side session, under a random token; the
extraction is deterministic, so each request re-reads the text (cached per process). Nothing the
browser sends back is trusted beyond what a user may type in the form anyway: which rows exist,
which communes a project may be placed in, and the source text all come from the session.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, wraps
from importlib.util import find_spec
from pathlib import PurePath

from defusedxml import ElementTree as SafeET
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from shiraka.accounts.access import can_create_agreement, editable_agreements, membership_of
from shiraka.agreements.drafts import (
    Gazetteer,
    OrganisationIndex,
    agreement_create_from_draft,
    category_guess,
    organisation_kind_guess,
    programme_match,
)
from shiraka.agreements.models import Agreement, Programme
from shiraka.core.formatting import format_amount
from shiraka.core.money import to_decimal
from shiraka.core.text import fold, name_key, script_language
from shiraka.extraction import detect_language, extract
from shiraka.extraction.cli import MAX_BYTES
from shiraka.extraction.parties import derive_institution
from shiraka.organisations.models import Organisation
from shiraka.projects.models import Category
from shiraka.territory.models import Province, Region

SESSION_KEY = "shiraka_extract_drafts"
DRAFTS_KEPT = 2  # texts kept per session (each up to 1 MB)
MAX_FILE_BYTES = 10 * 1024 * 1024  # a .docx or .pdf upload; its text is then capped at MAX_BYTES
MAX_DOCX_XML_BYTES = 20 * 1024 * 1024  # uncompressed word/document.xml
MAX_PDF_PAGES = 200
EXTRA_PARTNERS, EXTRA_SIGNATORIES, EXTRA_ATTENDEES, EXTRA_PROJECTS = 1, 1, 1, 2

# The refusals of shiraka/extraction/cli.py, in the page's language.
REFUSALS = {
    "empty": _("The text is empty: paste a press release or choose a file."),
    "binary": _("This looks like a binary file (it contains NUL bytes), not text."),
    "encoding": _("This file is not UTF-8 text."),
    "too_large": _("The text is larger than 1 MB (1,048,576 bytes): it is not a press release, nothing was read."),
    "file_too_large": _("The file is larger than 10 MB; nothing was read."),
    "language": _("The text is neither Arabic nor French; nothing was extracted."),
    "both": _("Paste a text or choose a file, not both."),
    "type": _("Only .txt, .docx and .pdf files can be read."),
    "docx": _("This .docx file cannot be read (damaged, or not a Word document)."),
    "pdf_unavailable": _("PDF files cannot be read on this server yet: copy the text from the PDF and paste it here."),
    "pdf": _("This PDF has no readable text layer (scanned, encrypted or damaged): paste its text instead."),
}


class Refused(Exception):
    def __init__(self, key: str):
        self.key = key
        super().__init__(key)

    @property
    def message(self):
        return REFUSALS[self.key]


# --- reading the input ---------------------------------------------------------------------------


def _checked_text(text: str) -> str:
    """The checks of the CLI's read_text, on text already decoded."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise Refused("binary")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise Refused("too_large")
    if not text.strip():
        raise Refused("empty")
    if detect_language(text) is None:
        raise Refused("language")
    return text


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise Refused("too_large")
    if b"\x00" in data:
        raise Refused("binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused("encoding") from None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(data: bytes) -> str:
    """The paragraphs of a .docx, with the uncompressed size checked before parsing and the
    XML parsed by defusedxml (no entities, no DTD)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise Refused("docx") from None
    if info.file_size > MAX_DOCX_XML_BYTES:
        raise Refused("too_large")
    try:
        with archive.open(info) as stream:
            xml = stream.read(MAX_DOCX_XML_BYTES + 1)  # the header may lie: never read more
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        raise Refused("docx") from None
    if len(xml) > MAX_DOCX_XML_BYTES:
        raise Refused("too_large")
    try:
        root = SafeET.fromstring(xml)
    except Exception:  # ParseError and defusedxml's refusals (DTD, entities)
        raise Refused("docx") from None
    paragraphs, size = [], 0
    for paragraph in root.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        line = "".join(parts)
        size += len(line.encode("utf-8")) + 1
        if size > MAX_BYTES:
            raise Refused("too_large")
        paragraphs.append(line)
    return "\n".join(paragraphs)


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF through pypdf, when it is installed (it is not a dependency yet)."""
    if find_spec("pypdf") is None:
        raise Refused("pdf_unavailable")
    import pypdf  # noqa: PLC0415

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Refused("pdf")
        pages, size = [], 0
        for page in list(reader.pages)[:MAX_PDF_PAGES]:
            text = page.extract_text() or ""
            size += len(text.encode("utf-8", "surrogatepass"))
            if size > MAX_BYTES:
                raise Refused("too_large")
            pages.append(text)
    except Refused:
        raise
    except Exception:
        raise Refused("pdf") from None
    text = "\n".join(pages)
    if not text.strip():
        raise Refused("pdf")
    return text


def uploaded_text(upload) -> str:
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in {".txt", ".docx", ".pdf"}:
        raise Refused("type")
    limit = MAX_BYTES if suffix == ".txt" else MAX_FILE_BYTES
    if upload.size is not None and upload.size > limit:
        raise Refused("too_large" if suffix == ".txt" else "file_too_large")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise Refused("too_large" if suffix == ".txt" else "file_too_large")
    if suffix == ".txt":
        return _decode(data)
    if suffix == ".docx":
        if not data.startswith(b"PK\x03\x04"):
            raise Refused("docx")
        return docx_text(data)
    if not data.startswith(b"%PDF-"):
        raise Refused("pdf")
    return pdf_text(data)


# --- the draft between the two steps -----------------------------------------------------------


def _drafts(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def draft_store(request, text: str) -> str:
    token = secrets.token_urlsafe(12)
    drafts = _drafts(request)
    drafts[token] = {"text": text, "created": {}}
    while len(drafts) > DRAFTS_KEPT:
        drafts.pop(next(iter(drafts)))
    request.session[SESSION_KEY] = drafts
    return token


def draft_load(request, token: str) -> dict | None:
    return _drafts(request).get(token)


def draft_created(request, token: str, index: int, reference: str) -> None:
    drafts = _drafts(request)
    if token in drafts:
        drafts[token]["created"][str(index)] = reference
        request.session[SESSION_KEY] = drafts
        request.session.modified = True


@lru_cache(maxsize=8)
def extracted(text: str):
    """The extraction is deterministic: the same text gives the same draft on every request."""
    return extract(text)


# --- access ------------------------------------------------------------------------------------


def creator_required(view):
    """Administrators and the secretariat (within their own scope); others 403, anonymous → login."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = membership_of(request.user)
        if membership is None or not can_create_agreement(
            request.user, region=membership.region, province=membership.province, programme=membership.programme
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --- highlighting ------------------------------------------------------------------------------

FIELD_LABELS = {
    "title": _("title"),
    "signed_on": _("signing date"),
    "place": _("place of signing"),
    "total_amount": _("total amount"),
    "amount": _("amount"),
    "partner": _("partner"),
    "signatory_name": _("signatory"),
    "signatory_role": _("signatory's role"),
    "attendee": _("attendee"),
    "location": _("place name"),
    "project": _("project"),
    "programme": _("programme"),
}
# Bootstrap colour utilities only: no inline style (a CSP may come).
FIELD_CLASSES = {
    "title": "bg-body-secondary",
    "signed_on": "bg-info-subtle",
    "place": "bg-info-subtle",
    "programme": "bg-info-subtle",
    "total_amount": "bg-warning",
    "amount": "bg-warning-subtle",
    "partner": "bg-success-subtle",
    "signatory_name": "bg-primary-subtle",
    "signatory_role": "bg-success-subtle",
    "attendee": "bg-body-tertiary border",
    "location": "bg-danger-subtle",
    "project": "bg-secondary-subtle",
}
FIELD_ORDER = list(FIELD_LABELS)


@dataclass
class Mark:
    start: int
    end: int
    fields: list[str]


def _open_tag(mark: Mark) -> str:
    return format_html(
        '<mark class="{} px-0" data-field="{}" title="{}">', FIELD_CLASSES[mark.fields[0]], " ".join(mark.fields),
        " · ".join(str(FIELD_LABELS[f]) for f in mark.fields),
    )


def _escaped(text: str) -> str:
    return escape(text).replace("\n", "<br>\n")


def _untangle(marks: list[Mark], rounds: int = 3) -> None:
    """Where two spans cross («title» running into the amount that follows it), the longer one is
    shortened so that the shorter, more precise value keeps one whole mark. What is left crossing
    is split by `highlight`."""
    for _round in range(rounds):
        changed = False
        marks.sort(key=lambda m: (m.start, -m.end))
        for i, a in enumerate(marks):
            for b in marks[i + 1:]:
                if b.start >= a.end:
                    break
                if a.start < b.start < a.end < b.end:
                    if a.end - a.start >= b.end - b.start:
                        a.end = b.start
                    else:
                        b.start = a.end
                    changed = True
        if not changed:
            return


def highlight(text: str, spans: list[tuple[int, int, str]]):
    """The text, escaped, each span wrapped in <mark data-field=…>. Spans that overlap without
    nesting are split where they cross, so the HTML stays well formed."""
    by_extent: dict[tuple[int, int], list[str]] = {}
    for start, end, name in spans:
        if 0 <= start < end <= len(text) and name not in by_extent.setdefault((start, end), []):
            by_extent[(start, end)].append(name)
    marks = [Mark(s, e, sorted(names, key=FIELD_ORDER.index)) for (s, e), names in by_extent.items()]
    _untangle(marks)
    marks = [m for m in marks if m.start < m.end]
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for number, mark in enumerate(marks):
        starts.setdefault(mark.start, []).append(number)
        ends.setdefault(mark.end, []).append(number)
    bounds = sorted({0, len(text), *starts, *ends})
    out: list[str] = []
    active: set[int] = set()
    stack: list[int] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        wanted = sorted(active, key=lambda n: (marks[n].start, -marks[n].end, n))
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] == wanted[keep]:
            keep += 1
        out.extend("</mark>" for _ in stack[keep:])
        out.extend(_open_tag(marks[n]) for n in wanted[keep:])
        stack = wanted
        out.append(_escaped(text[a:b]))
    out.extend("</mark>" for _ in stack)
    return mark_safe("".join(out))  # noqa: S308 — every piece of text above went through escape()


def draft_spans(result, attendees: list[tuple[str, tuple[int, int]]]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []

    def add(span, name):
        if span:
            spans.append((span[0], span[1], name))

    for draft in result.agreements:
        add(draft.title_span, "title")
        add(draft.signed_on_span, "signed_on")
        add(draft.place_span, "place")
        add(draft.total_span, "total_amount")
        for item in draft.amounts:
            add(item.span, "amount")
        for mention in draft.partners:
            add(mention.span, "partner")
        for signatory in draft.signatories:
            add(signatory.name_span, "signatory_name")
            add(signatory.role_span, "signatory_role")
        for mention in draft.locations:
            add(mention.span, "location")
        for mention in draft.projects:
            add(mention.span, "project")
        if draft.programme:
            add(draft.programme.span, "programme")
    for _description, span in attendees:
        add(span, "attendee")
    return spans


def extracted_attendees(result) -> list[tuple[str, tuple[int, int]]]:
    """Who attended without signing («بحضور …», «en présence de …»), as the extraction read them."""
    found, seen = [], set()
    for agreement in result.agreements:
        for mention in agreement.attendees:
            if mention.span is not None and mention.span not in seen:
                seen.add(mention.span)
                found.append((mention.text, tuple(mention.span)))
    return found


# --- forms -------------------------------------------------------------------------------------


class AmountField(forms.CharField):
    """An amount in dirhams as people write it (443 000 000, 158,16): parsed by core.money."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.validators = []

    def to_python(self, value):
        value = super().to_python(value)
        return to_decimal(value) if value else None


def amount_initial(value: Decimal | None) -> str:
    if value is None:
        return ""
    whole, _, cents = f"{value:.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return " ".join(groups) + ("" if cents == "00" else f".{cents}")


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in self.fields.values():
            widget = bound.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = css
            if isinstance(widget, (forms.TextInput, forms.Textarea)):
                widget.attrs.setdefault("dir", "auto")

    def flag_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"


class SourceForm(BootstrapForm):
    text = forms.CharField(label=_("Press release text"), required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 14}))
    file = forms.FileField(label=_("Or a file (.txt, .docx, .pdf)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,.pdf"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].validators = []  # a NUL is refused below with the "binary" message

    def clean(self):
        data = super().clean()
        text, upload = data.get("text") or "", data.get("file")
        try:
            if upload and text.strip():
                raise Refused("both")
            data["source"] = _checked_text(uploaded_text(upload) if upload else text)
        except Refused as refusal:
            raise ValidationError(refusal.message, code=refusal.key) from None
        return data


KIND_CHOICES = Agreement.Kind.choices


class AgreementForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES)
    title = forms.CharField(label=_("Title"), max_length=500)
    signed_on = forms.DateField(label=_("Signed on"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    signed_place = forms.CharField(label=_("Place of signing"), max_length=255, required=False)
    total_amount = AmountField(label=_("Total amount (MAD)"))
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all(), required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    province = forms.ModelChoiceField(label=_("Province or prefecture"), queryset=Province.objects.all(),
                                      required=False)
    parent = forms.CharField(label=_("Parent agreement (reference)"), max_length=60, required=False,
                             help_text=_("For a specific agreement or an amendment: the agreement it belongs to."))

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_parent(self):
        reference = self.cleaned_data.get("parent", "").strip()
        if not reference:
            return None
        parent = editable_agreements(self.user, Agreement.objects.all()).filter(reference=reference).first()
        if parent is None:
            raise ValidationError(_("No agreement you may edit has this reference."), code="parent_unknown")
        return parent


def _organisation_field(choices, label):
    return forms.TypedChoiceField(label=label, choices=[("", "—"), *choices], coerce=int, empty_value=None,
                                  required=False)


class PartnerForm(BootstrapForm):
    organisation = forms.TypedChoiceField()  # replaced in __init__ (choices are read once per page)
    create = forms.BooleanField(label=_("Create a new organisation"), required=False)
    new_name = forms.CharField(label=_("Name of the new organisation"), max_length=255, required=False)
    new_kind = forms.ChoiceField(label=_("Kind of the new organisation"), choices=Organisation.Kind.choices,
                                 required=False)
    committed_amount = AmountField(label=_("Committed amount (MAD)"),
                                   help_text=_("Leave empty when the text does not give this partner's share."))
    is_funder = forms.BooleanField(label=_("funder"), required=False)
    is_project_owner = forms.BooleanField(label=_("project owner"), required=False)
    is_delegated_owner = forms.BooleanField(label=_("delegated project owner"), required=False)
    is_technical_partner = forms.BooleanField(label=_("technical partner"), required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _organisation_field(organisations, _("Existing organisation"))
        self.fields["organisation"].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self):
        data = super().clean()
        if data.get("create") and data.get("organisation"):
            self.add_error("create", _("Choose an existing organisation or create a new one, not both."))
        if data.get("create") and not (data.get("new_name") or "").strip():
            self.add_error("new_name", _("Give the new organisation's name."))
        if data.get("create") and not data.get("new_kind"):
            self.add_error("new_kind", _("Choose the kind of the new organisation."))
        if not data.get("create") and not data.get("organisation") and data.get("committed_amount") is not None:
            self.add_error("organisation", _("Choose the organisation that commits this amount, or create it."))
        return data

    @property
    def is_kept(self) -> bool:
        return bool(self.cleaned_data.get("organisation") or self.cleaned_data.get("create"))


class SignatoryForm(BootstrapForm):
    include = forms.BooleanField(label=_("Add this signatory"), required=False)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.CharField(label=_("Role as written"), max_length=255, required=False)
    partner = forms.TypedChoiceField(label=_("On behalf of"), coerce=int, empty_value=None, required=False)
    presided = forms.BooleanField(label=_("presided over the signing"), required=False)

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", "—"), *partners]

    def clean(self):
        data = super().clean()
        if data.get("include") and not (data.get("name") or "").strip():
            self.add_error("name", _("Give the signatory's name, or untick the row."))
        return data


class AttendeeForm(BootstrapForm):
    include = forms.BooleanField(label=_("Add this attendee"), required=False)
    description = forms.CharField(label=_("Attendee as written"), max_length=255, required=False)
    organisation = forms.TypedChoiceField()

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _organisation_field(organisations, _("Organisation"))
        self.fields["organisation"].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self):
        data = super().clean()
        if data.get("include") and not (data.get("description") or "").strip():
            self.add_error("description", _("Describe the attendee, or untick the row."))
        return data


class ProjectForm(BootstrapForm):
    include = forms.BooleanField(label=_("Add this project"), required=False)
    title = forms.CharField(label=_("Project title"), max_length=500, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices], required=False)
    budget = AmountField(label=_("Budget (MAD)"))
    communes = forms.TypedMultipleChoiceField(label=_("Communes"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].choices = list(communes)

    def clean(self):
        data = super().clean()
        if data.get("include"):
            if not (data.get("title") or "").strip():
                self.add_error("title", _("Give the project's title, or untick the row."))
            if not data.get("category"):
                self.add_error("category", _("Choose the project's category."))
        return data


# --- the review of one extracted agreement -----------------------------------------------------


@dataclass
class Row:
    form: BootstrapForm
    read: str = ""  # the value as read in the text
    note: str = ""


@dataclass
class AgreementReview:
    index: int
    draft: object
    form: AgreementForm
    partners: list[Row] = field(default_factory=list)
    signatories: list[Row] = field(default_factory=list)
    attendees: list[Row] = field(default_factory=list)
    projects: list[Row] = field(default_factory=list)
    amounts: list[tuple[str, str, str]] = field(default_factory=list)
    locations: list[tuple[str, str]] = field(default_factory=list)
    programme_read: str = ""
    created: str | None = None
    error: str = ""

    @property
    def forms(self) -> list[BootstrapForm]:
        return [self.form, *(row.form for rows in (self.partners, self.signatories, self.attendees, self.projects)
                              for row in rows)]


class ReviewContext:
    """What every agreement's form needs, read once per request."""

    def __init__(self, text: str, result, user) -> None:
        self.text = text
        self.result = result
        self.user = user
        self.language = script_language(text)
        self.gazetteer = Gazetteer()
        self.organisations = OrganisationIndex()
        self.organisation_choices = sorted(
            ((o.pk, str(o)) for o in self.organisations.organisations), key=lambda choice: fold(choice[1])
        )
        self.attendees = extracted_attendees(result)


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(ch, 0, start) for ch in "،,;؛.\n") + 1
    rights = [p for p in (text.find(ch, end) for ch in "،,;؛.\n") if p >= 0]
    return left, min(rights, default=len(text))


def _place_matches(ctx: ReviewContext, mentions):
    first = [ctx.gazetteer.match(m.text) for m in mentions]
    return [ctx.gazetteer.match(m.text, near=[p for p in first if p]) for m in mentions]


def _attendee_organisation(ctx: ReviewContext, description: str):
    found = ctx.organisations.match(description)
    if found:
        return found
    key = name_key(description)
    best = None
    for candidate_key, organisation in ctx.organisations.by_key.items():
        if len(candidate_key) >= 10 and candidate_key in key and (best is None or len(candidate_key) > len(best[0])):
            best = (candidate_key, organisation)
    return best[1] if best else None


def build_review(ctx: ReviewContext, index: int, draft, data=None) -> AgreementReview:
    prefix = f"a{index}"
    bound = data is not None

    def kwargs(row_prefix, initial):
        return {"data": data, "prefix": row_prefix} if bound else {"prefix": row_prefix, "initial": initial}

    # Territory: the region (and the province) every matched place name agrees on.
    places = _place_matches(ctx, draft.locations)
    regions = {p.region_id for p in places if p}
    provinces = {p.province_id for p in places if p and p.province_id}
    programme = programme_match(draft.programme.text if draft.programme else None)
    agreement_initial = {
        "kind": draft.kind if draft.kind in Agreement.Kind.values else Agreement.Kind.PARTNERSHIP,
        "title": draft.title[:500],
        "signed_on": draft.signed_on,
        "signed_place": (draft.place or "")[:255],
        "total_amount": amount_initial(draft.total_amount),
        "programme": programme.pk if programme else None,
        "region": regions.pop() if len(regions) == 1 else None,
        "province": provinces.pop() if len(provinces) == 1 else None,
    }
    review = AgreementReview(index, draft, AgreementForm(**kwargs(prefix, agreement_initial), user=ctx.user))
    review.programme_read = draft.programme.text if draft.programme else ""

    # Partners.
    partner_keys = []
    for j, mention in enumerate([*draft.partners, *[None] * EXTRA_PARTNERS]):
        initial = {}
        match = None
        if mention is not None:
            match = ctx.organisations.match(mention.text, ctx.gazetteer)
            initial = {"organisation": match.pk if match else None, "new_name": mention.text[:255],
                       "new_kind": organisation_kind_guess(mention.text)}
            partner_keys.append(name_key(mention.text) if match else "")
        form = PartnerForm(**kwargs(f"{prefix}-p{j}", initial), organisations=ctx.organisation_choices)
        note = "" if mention is None or match else _("No recorded organisation has this name.")
        review.partners.append(Row(form, mention.text if mention else "", note))
    partner_choices = [(j, mention.text) for j, mention in enumerate(draft.partners)]
    partner_choices += [(len(draft.partners) + j, _("another partner (row %(n)s)") % {"n": len(draft.partners) + j + 1})
                        for j in range(EXTRA_PARTNERS)]

    # Signatories, each linked to the partner its title speaks for.
    for j, signatory in enumerate([*draft.signatories, *[None] * EXTRA_SIGNATORIES]):
        initial = {}
        if signatory is not None:
            # Linked only to a partner matched to a recorded organisation, so that the form as
            # pre-filled can be confirmed; after ticking "create", the user links it.
            partner = next((k for k, m in enumerate(draft.partners)
                            if m.span and m.span == signatory.role_span and partner_keys[k]), None)
            if partner is None:
                derived = name_key(derive_institution(signatory.role) or signatory.role)
                partner = next((k for k, key in enumerate(partner_keys) if key and (key == derived or key in
                                name_key(signatory.role))), None)
            initial = {"include": True, "name": signatory.name, "role": signatory.role[:255], "partner": partner}
        review.signatories.append(Row(SignatoryForm(**kwargs(f"{prefix}-s{j}", initial), partners=partner_choices),
                                      signatory.name if signatory else ""))

    # Attendees: read from «بحضور …» for the first agreement only (one signing ceremony).
    attendees = ctx.attendees if index == 0 else []
    for j, item in enumerate([*attendees, *[None] * EXTRA_ATTENDEES]):
        initial = {}
        if item is not None:
            organisation = _attendee_organisation(ctx, item[0])
            initial = {"include": True, "description": item[0][:255],
                       "organisation": organisation.pk if organisation else None}
        review.attendees.append(Row(AttendeeForm(**kwargs(f"{prefix}-t{j}", initial),
                                                 organisations=ctx.organisation_choices), item[0] if item else ""))

    # Amounts: the total, or the budget of the one project read in the same clause.
    budgets: dict[int, Decimal] = {}
    for item in draft.amounts:
        usage = ""
        if draft.total_span and item.span == draft.total_span:
            usage = str(_("total amount"))
        elif item.amount != draft.total_amount:
            left, right = _clause(ctx.text, item.span[0], item.span[1])
            inside = [k for k, p in enumerate(draft.projects) if p.span and left <= p.span[0] and p.span[1] <= right]
            if len(inside) == 1 and inside[0] not in budgets:
                budgets[inside[0]] = item.amount
                usage = str(_("budget of project %(n)s") % {"n": inside[0] + 1})
        review.amounts.append((format_amount(item.amount), item.purpose, usage))

    # Projects, with the communes the text names inside their own words.
    communes = []
    for mention, place in zip(draft.locations, places, strict=False):
        if place and place.kind == "commune" and all(c.pk != place.place.pk for c, _m in communes):
            communes.append((place.place, mention))
    commune_choices = [(c.pk, str(c)) for c, _m in communes]
    for j, mention in enumerate([*draft.projects, *[None] * EXTRA_PROJECTS]):
        initial = {}
        if mention is not None:
            category = category_guess(mention.text)
            inside = [c.pk for c, m in communes if mention.span and m.span and mention.span[0] <= m.span[0]
                      and m.span[1] <= mention.span[1]]
            initial = {"include": bool(category), "title": mention.text[:500], "category": category,
                       "budget": amount_initial(budgets.get(j)), "communes": inside}
        review.projects.append(Row(ProjectForm(**kwargs(f"{prefix}-x{j}", initial), communes=commune_choices),
                                   mention.text if mention else ""))

    for mention, place in zip(draft.locations, places, strict=False):
        if place is None:
            review.locations.append((mention.text, str(_("not matched"))))
        else:
            kind = {"region": _("region"), "province": _("province or prefecture"), "commune": _("commune")}
            review.locations.append((mention.text, f"{kind[place.kind]}: {place.place}"))
    return review


# --- confirmation ------------------------------------------------------------------------------

SERVICE_FIELDS = {
    "agreement": {"title_ar": "title", "title_fr": "title", "total_amount": "total_amount", "signed_on": "signed_on",
                  "signed_place": "signed_place", "kind": "kind", "parent": "parent", "region": "region",
                  "province": "province", "programme": "programme"},
    "partners": {"committed_amount": "committed_amount", "organisation": "organisation", "name_ar": "new_name",
                 "name_fr": "new_name", "kind": "new_kind"},
    "signatories": {"person": "name", "full_name_ar": "name", "full_name_fr": "name", "role": "role",
                    "organisation": "partner", "title_ar": "role", "title_fr": "role"},
    "attendees": {"description": "description", "organisation": "organisation"},
    "projects": {"title_ar": "title", "title_fr": "title", "category": "category", "budget": "budget"},
}


def confirm(ctx: ReviewContext, review: AgreementReview, user):
    """Validate every form of one agreement and create it; returns the agreement or None (the
    errors are then on the forms)."""
    if not all(form.is_valid() for form in review.forms):
        return None
    agreement_data = dict(review.form.cleaned_data)
    agreement_data["title"] = agreement_data["title"].strip()
    if not can_create_agreement(user, region=agreement_data["region"], province=agreement_data["province"],
                                programme=agreement_data["programme"]):
        review.form.add_error("region", _("You may only register agreements within your own territory or programme."))
        return None

    partners, partner_rows = [], {}
    for j, row in enumerate(review.partners):
        data = row.form.cleaned_data
        if not row.form.is_kept:
            continue
        entry = {name: data[name] for name in ("committed_amount", "is_funder", "is_project_owner",
                                               "is_delegated_owner", "is_technical_partner")}
        if data["organisation"]:
            entry["organisation"] = ctx.organisations.by_pk.get(data["organisation"])
            if entry["organisation"] is None:
                row.form.add_error("organisation", _("This organisation no longer exists."))
                return None
        else:
            place = ctx.gazetteer.match(data["new_name"])
            entry["new_organisation"] = {
                "name": data["new_name"], "kind": data["new_kind"],
                "region": place.region if place else None,
                "province": place.province if place else None,
                "commune": place.place if place and place.kind == "commune" else None,
            }
            if place and place.kind == "commune" and data["new_kind"] == Organisation.Kind.COMMUNE:
                # The code commune_organisation_ensure() looks for: the commune stays one partner.
                entry["new_organisation"]["reference_code"] = f"COMMUNE-{place.place.code}"
        partner_rows[j] = len(partners)
        partners.append((j, entry))

    signatories = []
    for j, row in enumerate(review.signatories):
        data = row.form.cleaned_data
        if not data["include"]:
            continue
        partner = data["partner"]
        if partner is not None and partner not in partner_rows:
            row.form.add_error("partner", _("This partner is not added: choose its organisation or create it."))
            return None
        signatories.append((j, {"name": data["name"], "role": data["role"], "presided": data["presided"],
                                "partner": partner_rows.get(partner) if partner is not None else None}))

    attendees = []
    for j, row in enumerate(review.attendees):
        data = row.form.cleaned_data
        if data["include"]:
            organisation = ctx.organisations.by_pk.get(data["organisation"]) if data["organisation"] else None
            attendees.append((j, {"description": data["description"], "organisation": organisation}))

    communes = {c.pk: c for places in ctx.gazetteer.index["commune"].values() for c in places}
    projects = []
    for j, row in enumerate(review.projects):
        data = row.form.cleaned_data
        if data["include"]:
            projects.append((j, {"title": data["title"], "category": data["category"], "budget": data["budget"],
                                 "communes": [communes[pk] for pk in data["communes"] if pk in communes]}))

    try:
        return agreement_create_from_draft(
            text=ctx.text, agreement_data=agreement_data, partners=[e for _j, e in partners],
            signatories=[e for _j, e in signatories], attendees=[e for _j, e in attendees],
            projects=[e for _j, e in projects], by=user,
        )
    except ValidationError as error:
        rows = {"partners": partners, "signatories": signatories, "attendees": attendees, "projects": projects}
        forms_of = {"partners": review.partners, "signatories": review.signatories, "attendees": review.attendees,
                    "projects": review.projects}
        for key, errors in error.message_dict.items():
            section, _dot, rest = key.partition(".")
            if section == "agreement":
                form, name = review.form, SERVICE_FIELDS["agreement"].get(rest)
            else:
                position, _dot, service_field = rest.partition(".")
                row_index = rows[section][int(position)][0]
                form, name = forms_of[section][row_index].form, SERVICE_FIELDS[section].get(service_field)
            if name not in form.fields:
                name = None
                review.error = review.error or _("The agreement could not be created; see the messages below.")
            for message in errors:
                form.add_error(name, message)
        return None


# --- views -------------------------------------------------------------------------------------


@creator_required
def extract_start(request):
    if request.method == "POST":
        form = SourceForm(request.POST, request.FILES)
        if form.is_valid():
            token = draft_store(request, form.cleaned_data["source"])
            return redirect("web:extract_review", token=token)
        form.flag_invalid()
    else:
        form = SourceForm()
    return render(request, "web/extract/start.html", {"form": form})


@creator_required
def extract_review(request, token: str):
    stored = draft_load(request, token)
    if stored is None:
        messages.warning(request, _("This draft is no longer kept (it expires with your session): paste the text again."))
        return redirect("web:extract")
    text = stored["text"]
    result = extracted(text)
    ctx = ReviewContext(text, result, request.user)
    posted = None
    if request.method == "POST":
        try:
            posted = int(request.POST.get("agreement", ""))
        except ValueError:
            posted = None
        if posted is None or not 0 <= posted < len(result.agreements):
            raise Http404
        if str(posted) in stored["created"]:
            return redirect("web:agreement", reference=stored["created"][str(posted)])
    reviews = []
    for index, draft in enumerate(result.agreements):
        review = build_review(ctx, index, draft, request.POST if index == posted else None)
        review.created = stored["created"].get(str(index))
        reviews.append(review)
    status = 200
    if posted is not None:
        review = reviews[posted]
        agreement = confirm(ctx, review, request.user)
        if agreement is not None:
            draft_created(request, token, posted, agreement.reference)
            messages.success(request, _("The agreement %(reference)s was created as a draft.")
                             % {"reference": agreement.reference})
            return redirect("web:agreement", reference=agreement.reference)
        for form in review.forms:
            form.flag_invalid()
        status = 400
    marks = highlight(text, draft_spans(result, ctx.attendees))
    return render(request, "web/extract/review.html", {
        "token": token,
        "text_html": marks,
        "language": ctx.language,
        "reviews": reviews,
        "legend": [(name, FIELD_LABELS[name], FIELD_CLASSES[name]) for name in FIELD_ORDER],
        "posted": posted,
        "action": reverse("web:extract_review", kwargs={"token": token}),
    }, status=status)
