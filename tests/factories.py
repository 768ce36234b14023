"""What tests share, in one place: small builders of records through the real services, users with a
role, the seed texts, small valid PNG and PDF files, and helpers to read pages as a browser would."""

import html
import io
import json
import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from itertools import count
from pathlib import Path

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

import shiraka.demo
from shiraka.accounts.models import Membership
from shiraka.agreements import services as agreements
from shiraka.followup import services as followup
from shiraka.organisations.models import Organisation
from shiraka.organisations.services import organisation_create
from shiraka.projects import services as projects
from shiraka.territory.models import Province

_numbers = count(1)


def organisation(name: str = "", kind: str = Organisation.Kind.MINISTRY) -> Organisation:
    number = next(_numbers)
    return organisation_create(name_fr=name or f"Partenaire {number}", name_ar=f"شريك {number}", kind=kind)


def agreement(total="1000000.00", **fields):
    number = next(_numbers)
    defaults = {
        "reference": f"T-{number}",
        "kind": "partnership",
        "title_fr": f"Convention {number}",
        "signed_on": date(2024, 1, 15),
        "total_amount": Decimal(total) if total is not None else None,
    }
    defaults.update(fields)
    status = defaults.pop("status", "signed")
    return agreements.agreement_create(status=status, **defaults)


def partnership(agreement_=None, committed="400000.00", **fields):
    return agreements.partnership_commit(
        agreement=agreement_ or agreement(),
        organisation=organisation(),
        committed_amount=Decimal(committed) if committed is not None else None,
        **fields,
    )


# --- follow-up: small hand-built cases for the alert rules, one agreement at a time ------------------

TODAY = date(2025, 6, 30)


def province(code: str = "09.273") -> Province:
    return Province.objects.select_related("region").get(code=code)


def agreement_in_province(total="1000000.00", code: str = "09.273", **fields):
    """An agreement in execution, placed in a province of the reference data."""
    place = province(code)
    return agreement(total=total, region=place.region, province=place, status="in_execution", **fields)


def project(agreement_, *, status="works", budget="100000.00", **fields):
    number = agreement_.projects.count() + 1
    fields = {
        "reference": f"{agreement_.reference}-P{number}",
        "title_fr": f"Projet {number}",
        "title_ar": f"مشروع {number}",
        "category": "health_centre",
        **fields,
    }
    return projects.project_create(agreement=agreement_, budget=Decimal(budget), status=status, **fields)


def partner_with_schedule(agreement_, *, committed="400000.00", due=(), transfers=(), name=""):
    partnership = agreements.partnership_commit(
        agreement=agreement_, organisation=organisation(name), committed_amount=Decimal(committed)
    )
    for due_on, amount in due:
        agreements.contribution_schedule(partnership=partnership, due_on=due_on, amount=Decimal(amount))
    for transferred_on, amount in transfers:
        agreements.transfer_record(
            partnership=partnership, transferred_on=transferred_on, amount=Decimal(amount)
        )
    return partnership


def committee(agreements_=(), *, name="Comité de suivi test", code="09.273", members=()):
    return followup.committee_create(
        kind="supervision",
        name_fr=name,
        name_ar="لجنة التتبع",
        province=province(code),
        agreements=list(agreements_),
        members=members,
    )


def user_with_role(username: str, role: str, *, email: str = "", organisation=None, **scope):
    user = get_user_model().objects.create_user(username, email=email, password="a-long-test-password")
    Membership.objects.create(user=user, role=role, organisation=organisation, **scope)
    return user


# --- seed texts, files and pages ------------------------------------------------------------------------

DEMO_DATA = Path(shiraka.demo.__file__).resolve().parent / "data"
GUELMIM = (DEMO_DATA / "guelmim-oued-noun-2023-11-06.txt").read_text(encoding="utf-8")
INEZGANE = (DEMO_DATA / "inezgane-ait-melloul-2022-02-12.txt").read_text(encoding="utf-8")
# Screenshots of the browser tests, for people to look at.
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def member(role: str, *, organisation=None, region=None, province=None, username: str | None = None):
    user = get_user_model().objects.create_user(
        username or f"{role}-{get_user_model().objects.count()}", password="a-long-test-password"
    )
    Membership.objects.create(
        user=user, organisation=organisation, role=role, region=region, province=province
    )
    return user


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def charts_of(response) -> dict:
    """The page's charts, by their script's id, as the data they are drawn from."""
    found = re.findall(
        r'<script id="(chart-[a-z]+)" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    return {name: json.loads(body) for name, body in found}


def url(name: str, *args, language: str = "fr") -> str:
    with translation.override(language):
        return reverse(f"web:{name}", args=args)


def message(text: str, language: str, **params) -> str:
    """A message as the page shows it in `language`, whatever the state of the catalogues."""
    with translation.override(language):
        translated = translation.gettext(text)
    return translated % params if params else translated


def png_bytes(size=(8, 8), colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format="PNG")
    return output.getvalue()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class FormReader(HTMLParser):
    """What a browser would submit for each <form> of a page (unchanged pre-filled values)."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = []
            self.forms.append(self.current)
        elif self.current is None or "name" not in attrs and tag != "option":
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.current.append((attrs["name"], attrs.get("value", "on")))
            elif kind not in ("submit", "file"):
                self.current.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self.select = [attrs["name"], None, None]
        elif tag == "option" and self.select is not None:
            if self.select[2] is None:
                self.select[2] = attrs.get("value", "")
            if "selected" in attrs:
                self.select[1] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            name, selected, first = self.select
            self.current.append((name, selected if selected is not None else first or ""))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.current.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "form":
            self.current = None


def review_forms(page: str) -> dict[int, dict[str, str]]:
    reader = FormReader()
    reader.feed(page)
    out = {}
    for fields in reader.forms:
        data = {}
        for name, value in fields:  # several ticked checkboxes share a name
            data[name] = (
                [*data[name], value]
                if isinstance(data.get(name), list)
                else ([data[name], value] if name in data else value)
            )
        if "agreement" in data:
            out[int(data["agreement"])] = data
    return out


def error_codes(error, field: str) -> list[str]:
    """The codes of a service's refusal on one field."""
    return [e.code for e in error.error_dict[field]]


def error_messages(error, field: str) -> str:
    """The messages of a service's refusal on one field, as the reader sees them."""
    return " ".join(error.message_dict[field])


def followup_case(code: str = "09.273"):
    """A committee following one agreement of a province, with two member organisations, a meeting of
    2024-03-01 (the first present, the second absent) and an open decision it took, due 2024-12-31."""
    from types import SimpleNamespace

    agreement_ = agreement_in_province(code=code)
    own, other = organisation(), organisation()
    committee_ = committee([agreement_], code=code, members=[(own, None, ""), (other, None, "")])
    meeting = followup.meeting_record(
        committee=committee_,
        held_on=date(2024, 3, 1),
        place="Inezgane",
        attendees=[(own, None, True), (other, None, False)],
    )
    decision = followup.decision_create(
        committee=committee_,
        meeting=meeting,
        text="Lancer les études",
        responsible=own,
        due_on=date(2024, 12, 31),
    )
    return SimpleNamespace(
        agreement=agreement_, own=own, other=other, committee=committee_, meeting=meeting, decision=decision
    )


def api_token(user) -> str:
    """A personal API token of `user`, as the tokens page gives it."""
    from shiraka.accounts.services import api_token_create

    return api_token_create(user=user, name="test tool")[1]


def api_call(client, method: str, path: str, *, token: str | None = None, body=None, language: str = "fr"):
    """A call to /api/v1/`path` as a tool makes it: JSON body, bearer token, Accept-Language."""
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    send = getattr(client, method.lower())
    if body is None:
        return send(f"/api/v1/{path}", **headers)
    return send(f"/api/v1/{path}", data=json.dumps(body), content_type="application/json", **headers)


# --- exchange: workbooks and CSV files as secretariats make them ----------------------------------------


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx file: sheet title → rows (the first row: headers). A value starting with "=" is a formula."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_headers(sheet_key: str, keys: list[str], language: str = "fr") -> list[str]:
    """The headers of `keys` in a Shiraka template sheet, as written in `language`."""
    from shiraka.exchange.columns import SHEETS

    columns = {column.key: column for column in SHEETS[sheet_key].columns}
    with translation.override(language):
        return [columns[key].header() for key in keys]


def figures_forgotten() -> None:
    """No figures kept anywhere, neither in the cache, this process nor the database: the next page
    sums them."""
    from django.core.cache import cache

    from shiraka.core.cache import memo_clear
    from shiraka.core.models import KeptPart

    cache.clear()
    memo_clear()
    KeptPart.objects.all().delete()


def figures_checked(today=None) -> None:
    """What a process does once per day (and every few minutes at most): make sure the kept figures
    and the kept alerts are current. Done before counting a page's queries, so that the count is the
    page's own."""
    from shiraka.core.rules import today as local_today
    from shiraka.followup.kept_alerts import ensure_kept_alerts
    from shiraka.portfolio.figures import ensure_current

    if today is not None:
        ensure_current(today)
    ensure_current()
    ensure_kept_alerts(local_today())
