"""A realistic, deterministic national portfolio for building and measuring pages at scale.

Same arguments, same data: every draw comes from one seeded generator and every date from a fixed
anchor, not from today. The data keeps the rules of DESIGN.md §3 (commitments within the total,
transfers within commitments, payments within contracts, dates in order, progress 0–100).
Rows are light `core.bulk.Row`s, not model instances, written with `executemany` in batches under ids
reserved beforehand (`core.bulk.allocate_ids`); the agreements, partnerships and projects get a
"created" history row each (`core.bulk.insert_with_history`). The kept figures of the new agreements are
recomputed once at the end (`portfolio.figures.refresh_figures`)."""

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from shiraka.agreements.models import Agreement, Partnership, Programme, ScheduledContribution, Transfer
from shiraka.core.bulk import (
    Row,
    assign_ids,
    collector_paused,
    insert_rows,
    insert_with_history,
    row_maker,
    stamp,
)
from shiraka.core.cache import bump_data_version
from shiraka.followup.kept_alerts import forget_kept_alerts
from shiraka.followup.models import Committee, CommitteeMember, Decision, Meeting
from shiraka.organisations.models import Organisation, territorial_body_code
from shiraka.portfolio.figures import refresh_figures
from shiraka.portfolio.milestones import refresh_open_milestones
from shiraka.projects.models import (
    Category,
    Contract,
    Milestone,
    Payment,
    ProgressUpdate,
    Project,
    ProjectFunding,
)
from shiraka.reporting.fictional import FICTIONAL_AR, FICTIONAL_FR, FICTIONAL_NOTE, fictional_marker
from shiraka.reporting.geo import province_rings
from shiraka.territory.models import Commune, HealthFacilityType, Province, Region

from .removal import delete_with_dependants

ANCHOR = date(2026, 1, 1)
BATCH = 5000
CENT = Decimal("0.01")
new_agreement, new_partnership, new_project = map(row_maker, (Agreement, Partnership, Project))
new_contribution, new_transfer = row_maker(ScheduledContribution), row_maker(Transfer)
new_funding, new_milestone, new_update = map(row_maker, (ProjectFunding, Milestone, ProgressUpdate))
new_contract, new_payment = row_maker(Contract), row_maker(Payment)
new_committee, new_member = row_maker(Committee), row_maker(CommitteeMember)
new_meeting, new_decision = row_maker(Meeting), row_maker(Decision)
new_organisation = row_maker(Organisation)

CATEGORY_PROFILE = {
    # category: (facility type code or None, budget range in MAD, weight, Arabic title, French title)
    Category.PROXIMITY_HOSPITAL: ("HP", (40e6, 180e6), 3, "بناء وتجهيز مستشفى القرب", "Hôpital de proximité"),
    Category.HEALTH_CENTRE: ("CSR-2", (2e6, 12e6), 16, "بناء وتجهيز مركز صحي", "Centre de santé"),
    Category.EMERGENCY_UNIT: (
        "UMP",
        (3e6, 25e6),
        6,
        "إحداث وحدة طبية لمستعجلات القرب",
        "Unité d'urgences de proximité",
    ),
    Category.PSYCHIATRIC_UNIT: (
        "HOP-SPEC",
        (8e6, 40e6),
        2,
        "تهيئة وتجهيز مصلحة الطب النفسي",
        "Unité de psychiatrie",
    ),
    Category.ADDICTION_CENTRE: (
        "ADDICTO",
        (4e6, 15e6),
        2,
        "إنشاء مركز لمحاربة الإدمان",
        "Centre d'addictologie",
    ),
    Category.YOUTH_HEALTH_SPACE: ("ESJ", (1.5e6, 6e6), 4, "إحداث فضاء صحة الشباب", "Espace santé jeunes"),
    Category.WOMENS_REFERENCE_CENTRE: (
        "CRSR",
        (5e6, 20e6),
        3,
        "إحداث مركز مرجعي لصحة المرأة",
        "Centre de référence de santé de la femme",
    ),
    Category.UNIVERSITY_MEDICAL_CENTRE: (
        None,
        (6e6, 30e6),
        1,
        "إنشاء مركز طبي جامعي",
        "Centre médical universitaire",
    ),
    Category.IMAGING_EQUIPMENT: (
        "CENTRE-DIAGNOSTIC",
        (3e6, 35e6),
        8,
        "اقتناء أجهزة التصوير الطبي",
        "Acquisition d'équipements d'imagerie",
    ),
    Category.MOBILE_CARAVANS: ("CMS", (0.5e6, 4e6), 5, "تنظيم قوافل طبية متنقلة", "Caravanes médicales"),
    Category.STAFF_CONTRACTING: (
        None,
        (2e6, 50e6),
        4,
        "التعاقد مع الأطر الطبية والتمريضية",
        "Contractualisation de médecins et d'infirmiers",
    ),
    Category.STAFF_HOUSING: (
        None,
        (3e6, 20e6),
        3,
        "بناء السكنيات الوظيفية للأطر الصحية",
        "Logements de fonction",
    ),
    Category.PATIENT_TRANSPORT: (
        None,
        (0.6e6, 5e6),
        6,
        "اقتناء سيارات إسعاف لنقل المرضى",
        "Ambulances pour le transport des malades",
    ),
    Category.FACILITY_UPGRADE: (
        "ESSP-GENERIC",
        (1e6, 15e6),
        14,
        "تأهيل مؤسسات الرعاية الصحية الأولية",
        "Mise à niveau d'établissements de soins",
    ),
}
WORKS_MILESTONES = [
    "studies",
    "tender",
    "award",
    "works_order",
    "provisional_acceptance",
    "equipment_delivery",
    "opening",
]
SERVICE_MILESTONES = ["tender", "award", "equipment_delivery", "commissioning"]
CONTRACTORS = [
    "Atlas Bâtiment SARL",
    "Souss Travaux",
    "Sahara Construction",
    "Rif Équipements Médicaux",
    "Oriental BTP",
    "Médi-Tech Maroc",
    "Noor Ingénierie",
    "Bab Travaux Publics",
]


@dataclass
class SynthReport:
    agreements: int = 0
    partnerships: int = 0
    schedule: int = 0
    transfers: int = 0
    projects: int = 0
    fundings: int = 0
    milestones: int = 0
    updates: int = 0
    contracts: int = 0
    payments: int = 0
    committees: int = 0
    meetings: int = 0
    decisions: int = 0

    @property
    def money_rows(self) -> int:
        return (
            self.partnerships
            + self.schedule
            + self.transfers
            + self.projects
            + self.fundings
            + self.contracts
            + self.payments
        )

    def __str__(self) -> str:
        return (
            f"{self.agreements} agreements, {self.projects} projects, {self.partnerships} partnerships, "
            f"{self.schedule} scheduled contributions, {self.transfers} transfers, {self.fundings} fundings, "
            f"{self.contracts} contracts, {self.payments} payments ({self.money_rows} money rows); "
            f"{self.milestones} milestones, {self.updates} progress updates, {self.committees} committees, "
            f"{self.meetings} meetings, {self.decisions} decisions"
        )


def reference_prefix(seed: int) -> str:
    return f"SYN{seed}-"


def synth_exists(seed: int) -> bool:
    return Agreement.objects.filter(reference__startswith=reference_prefix(seed)).exists()


@transaction.atomic
def synth_delete(seed: int) -> int:
    """Remove this seed's synthetic portfolio (its committees, agreements and everything under them,
    with their history) by SQL (demo.removal); returns how many agreements went."""
    prefix = reference_prefix(seed)
    delete_with_dependants(Committee.objects.filter(name_fr__startswith=f"[{prefix}"))
    deleted = delete_with_dependants(Agreement.objects.filter(reference__startswith=prefix))
    marker = fictional_marker()
    if marker.exists() and marker.read_text(encoding="utf-8").startswith(prefix):
        marker.unlink()
    # The kept figures went with their agreements, and sums over the portfolio read the rows left.
    # Kept alerts are computed again at the next read: a committee's own decisions are kept
    # without an agreement.
    forget_kept_alerts()
    bump_data_version()
    return deleted


def _money(rng: random.Random, low: float, high: float, step: int = 1000) -> Decimal:
    """A round-ish amount like real budgets: whole thousands, sometimes with centimes."""
    value = Decimal(int(rng.uniform(low, high) / step) * step)
    if rng.random() < 0.15:
        value += Decimal(rng.randint(1, 99999)) / 100
    return value.quantize(CENT)


def _split(rng: random.Random, total: Decimal, parts: int) -> list[Decimal]:
    weights = [rng.uniform(0.5, 3) for _ in range(parts)]
    scale = sum(weights)
    shares = [(total * Decimal(w / scale)).quantize(Decimal("1000")) for w in weights]
    shares[-1] = total - sum(shares[:-1])
    if shares[-1] < 0:
        shares = [total] + [Decimal("0.00")] * (parts - 1)
    return [s.quantize(CENT) for s in shares]


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, stream=None, enabled: bool = True):
        self.total, self.done, self.stream, self.enabled = total, 0, stream or sys.stderr, enabled
        self.last = -1

    def advance(self, step: int = 1, label: str = "") -> None:
        self.done += step
        percent = int(self.done * 100 / max(self.total, 1))
        if self.enabled and percent != self.last:
            bar = "#" * (percent // 4)
            self.stream.write(f"\r  [{bar:<25}] {percent:3d}%  {label:<40}")
            self.stream.flush()
            self.last = percent

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def synth_generate(
    *,
    agreements: int,
    seed: int,
    by=None,
    progress: Callable | None = None,
    show_progress: bool = True,
    fictional: bool = False,
) -> SynthReport:
    rng = random.Random(seed)
    report = SynthReport()
    bar = Progress(agreements, enabled=show_progress)
    regions = list(Region.objects.order_by("code"))
    provinces_by_region: dict[int, list[Province]] = {}
    for province in Province.objects.order_by("code"):
        provinces_by_region.setdefault(province.region_id, []).append(province)
    communes_by_province: dict[int, list[Commune]] = {}
    for commune in Commune.objects.order_by("code"):
        communes_by_province.setdefault(commune.province_id, []).append(commune)
    category_names = list(CATEGORY_PROFILE)
    world = _World(
        rng=rng,
        prefix=reference_prefix(seed),
        regions=regions,
        provinces_by_region=provinces_by_region,
        communes_by_province=communes_by_province,
        orgs={o.reference_code: o for o in Organisation.objects.filter(reference_code__isnull=False)},
        facility_types={t.code: t for t in HealthFacilityType.objects.all()},
        programmes=_programmes(regions, seed),
        category_names=category_names,
        category_weights=[CATEGORY_PROFILE[c][2] for c in category_names],
        report=report,
        by=by,
        fictional=fictional,
        # Coordinates draw from their own generator: the rest of the data stays what the seed made it.
        places=random.Random(f"places-{seed}"),
        rings=province_rings(),
    )

    chunk = 250
    agreement_ids = []
    for start in range(0, agreements, chunk):
        with collector_paused(), transaction.atomic():
            agreement_ids += _synth_chunk(world, range(start, min(start + chunk, agreements)))
        bar.advance(min(chunk, agreements - start), f"{report.projects} projects")
    bar.close()
    with transaction.atomic():
        # Bulk writes go past the services that keep the figures: computed once for the new agreements.
        refresh_figures(agreement_ids)
        refresh_open_milestones(agreement_ids)
    bump_data_version()  # bulk writes send no signals
    if fictional:
        fictional_marker().write_text(f"{reference_prefix(seed)}\n{FICTIONAL_NOTE}\n", encoding="utf-8")
    return report


def _programmes(regions: list[Region], seed: int) -> dict:
    programmes = {}
    for region in regions:
        code = f"syn{seed}-pdr-{region.code}"
        programmes[region.pk], _ = Programme.objects.get_or_create(
            code=code,
            defaults={
                "kind": Programme.Kind.REGIONAL_DEVELOPMENT,
                "region": region,
                "start_year": 2022,
                "end_year": 2027,
                "name_ar": f"برنامج التنمية الجهوية 2022-2027 لجهة {region.name_ar}",
                "name_fr": f"PDR 2022-2027 {region.name_fr} [SYN{seed}]",
            },
        )
    programmes["indh"], _ = Programme.objects.get_or_create(
        code=f"syn{seed}-indh-3",
        defaults={
            "kind": Programme.Kind.INDH_PHASE,
            "start_year": 2019,
            "end_year": 2023,
            "name_ar": "المبادرة الوطنية للتنمية البشرية — المرحلة الثالثة",
            "name_fr": f"INDH phase III [SYN{seed}]",
        },
    )
    return programmes


def _commune_partner(commune: Commune, orgs: dict) -> Organisation:
    code = territorial_body_code("commune", commune.code)
    if code not in orgs:
        # Written at once, with its "created" history row, like the other synthetic rows.
        organisation = new_organisation(
            reference_code=code,
            kind=Organisation.Kind.COMMUNE,
            name_ar=f"جماعة {commune.name_ar}",
            name_fr=f"Commune de {commune.name_fr}",
            commune=commune,
            province_id=commune.province_id,
        )
        _write_with_history(Organisation, [organisation], None)
        orgs[code] = organisation
    return orgs[code]


@dataclass
class _World:
    """What every chunk draws from: the seeded generator, the territories and reference records."""

    rng: random.Random
    prefix: str
    regions: list
    provinces_by_region: dict
    communes_by_province: dict
    orgs: dict
    facility_types: dict
    programmes: dict
    category_names: list
    category_weights: list
    report: SynthReport
    by: object = None
    fictional: bool = False
    places: random.Random | None = None
    rings: dict | None = None
    shapes: dict = field(default_factory=dict)

    def point_in(self, province) -> tuple[Decimal, Decimal] | None:
        """A point inside the province's outline (rejection sampling in its bounding box)."""
        shape = self._shape(province.code)
        if shape is None or self.places is None:
            return None
        (x, y), (min_x, max_x, min_y, max_y), bands = shape
        for _attempt in range(30):
            cx, cy = self.places.uniform(min_x, max_x), self.places.uniform(min_y, max_y)
            if _inside(cx, cy, bands[_band(cy, min_y, max_y)]):
                x, y = cx, cy
                break
        return Decimal(f"{y:.6f}"), Decimal(f"{x:.6f}")

    def _shape(self, code: str):
        """(mean point, bounding box, edges by horizontal band) of a province's outline, computed
        once per province. A ray from a point can only cross the edges that span its band: each
        test reads a few dozen edges instead of the whole outline."""
        if code not in self.shapes:
            ring = (self.rings or {}).get(code)
            if not ring:
                self.shapes[code] = None
            else:
                xs, ys = [p[0] for p in ring], [p[1] for p in ring]
                centre = (sum(xs) / len(xs), sum(ys) / len(ys))
                edges = list(zip(ring, ring[1:], strict=False))
                box = (min(xs), max(xs), min(ys), max(ys))
                self.shapes[code] = (centre, box, _bands(edges, box[2], box[3]))
        return self.shapes[code]


BANDS = 32  # horizontal bands of a province's outline


def _band(y: float, min_y: float, max_y: float) -> int:
    """The band of the outline's bounding box (from `min_y` to `max_y`) that `y` falls in."""
    height = (max_y - min_y) / BANDS or 1.0
    return min(max(int((y - min_y) / height), 0), BANDS - 1)


def _bands(edges: list, min_y: float, max_y: float) -> list[list]:
    """The edges spanning each band, so that a point is tested against its band's edges only."""
    bands = [[] for _ in range(BANDS)]
    for edge in edges:
        (_x1, y1), (_x2, y2) = edge
        for band in range(_band(min(y1, y2), min_y, max_y), _band(max(y1, y2), min_y, max_y) + 1):
            bands[band].append(edge)
    return bands


def _inside(x: float, y: float, edges: list) -> bool:
    """Ray casting: does the horizontal ray from (x, y) cross the ring an odd number of times?"""
    inside = False
    for (x1, y1), (x2, y2) in edges:
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _synth_chunk(world: _World, numbers) -> list[int]:
    # The phases run in a fixed order: the same seed draws the same numbers, so the same data.
    created, plans = _synth_agreements(world, numbers)
    partnerships, partnership_meta, projects, project_meta = _synth_partners_and_projects(
        world, created, plans
    )
    _synth_money(world, partnerships, partnership_meta)
    contracts, contract_meta = _synth_project_details(world, partnerships, projects, project_meta)
    _synth_payments(world, contracts, contract_meta)
    _synth_committees(world.rng, world.prefix, created, plans, projects, world.orgs, world.report)
    return [agreement.pk for agreement in created]


def _synth_agreements(world: _World, numbers) -> tuple[list, list]:
    rng, regions, programmes = world.rng, world.regions, world.programmes
    agreement_rows, plans = [], []
    for number in numbers:
        region = rng.choice(regions)
        province = rng.choice(world.provinces_by_region[region.pk]) if rng.random() < 0.8 else None
        signed_on = ANCHOR - timedelta(days=rng.randint(30, 365 * 6))
        duration = rng.choice([3, 4, 5, 6])
        is_indh = rng.random() < 0.2
        kind = rng.choices(["framework", "partnership", "specific", "memorandum"], [2, 6, 1, 1])[0]
        project_count = rng.randint(3, 21)
        total = (
            _money(rng, 8e6 * project_count, 40e6 * project_count, 10000)
            if not is_indh
            else _money(rng, 2e6, 40e6)
        )
        status = rng.choices(["signed", "in_execution", "completed", "suspended"], [2, 12, 3, 1])[0]
        if kind == "specific":
            kind = "partnership"  # specific agreements need a parent; the synthetic set keeps them flat
        place = province or region
        agreement_rows.append(
            new_agreement(
                reference=f"{world.prefix}{number + 1:05d}",
                kind=kind,
                status=status,
                status_reason="Retard de mobilisation du foncier" if status == "suspended" else "",
                title_ar=f"اتفاقية شراكة لتأهيل العرض الصحي ب{'عمالة/إقليم ' + province.name_ar if province else 'جهة ' + region.name_ar}",
                title_fr=f"Convention de partenariat pour la mise à niveau de l'offre de soins — {place.name_fr}",
                programme=programmes["indh" if is_indh else region.pk],
                signed_on=signed_on,
                signed_place=f"مقر ولاية جهة {region.name_ar}",
                start_on=signed_on,
                end_on=signed_on + timedelta(days=365 * duration),
                total_amount=total,
                region=region,
                province=province,
                is_published=rng.random() < 0.7,
            )
        )
        plans.append((region, province, signed_on, duration, project_count, is_indh, status))
    if world.fictional:
        for row in agreement_rows:
            row.title_ar, row.title_fr = FICTIONAL_AR + row.title_ar, FICTIONAL_FR + row.title_fr
            row.source_text = FICTIONAL_NOTE
    for row in agreement_rows:
        row.search_text = Agreement.build_search_text(row)
    _write_with_history(Agreement, agreement_rows, world.by)
    world.report.agreements += len(agreement_rows)
    return agreement_rows, plans


def _write_with_history(model, rows: list, by) -> None:
    """New rows under reserved ids, with their "created" history rows (by `by`, or the system)."""
    assign_ids(model, rows)
    stamp(model, rows)
    insert_with_history(model, rows, user=by)


def _agreement_partnerships(world: _World, agreement, region, province, is_indh) -> list[Partnership]:
    rng, orgs = world.rng, world.orgs
    partners = [orgs["MSPS"], orgs[territorial_body_code("region", region.code)]]
    if province:
        partners += [orgs[f"CPP-{province.code}"]]
        communes = world.communes_by_province.get(province.pk, [])
        partners += [
            _commune_partner(c, orgs) for c in rng.sample(communes, min(len(communes), rng.randint(0, 3)))
        ]
        if is_indh:
            partners.append(orgs[territorial_body_code("province", province.code)])
    if rng.random() < 0.3:
        partners.append(orgs["ANEP"])
    if rng.random() < 0.4:
        partners.append(orgs[f"WILAYA-{region.code}"])
    partners = list(dict.fromkeys(partners))
    funders = [p for p in partners if p.kind not in {"governorate", "public_agency"}]
    allocated = (
        agreement.total_amount
        if rng.random() < 0.8
        else (agreement.total_amount * Decimal("0.85")).quantize(CENT)
    )
    shares = dict(zip(funders, _split(rng, allocated, len(funders)), strict=True))
    rows = []
    for organisation in partners:
        amount = shares.get(organisation)
        if amount is not None and rng.random() < 0.05:
            amount = None  # the agreement does not specify this partner's share
        rows.append(
            new_partnership(
                agreement=agreement,
                organisation=organisation,
                committed_amount=amount,
                is_funder=organisation in shares,
                is_delegated_owner=organisation.reference_code == "ANEP",
                is_project_owner=organisation.reference_code.startswith("DELEG")
                or organisation.reference_code == "MSPS",
            )
        )
    return rows


def _project_row(world: _World, agreement, index, budget, plan) -> tuple[Project, tuple]:
    rng = world.rng
    region, province, signed_on, _duration, _count, _is_indh, status = plan
    category = rng.choices(world.category_names, world.category_weights)[0]
    facility, _, _, title_ar, title_fr = CATEGORY_PROFILE[category]
    target_province = province or rng.choice(world.provinces_by_region[region.pk])
    communes = world.communes_by_province.get(target_province.pk) or [None]
    commune = rng.choice(communes)
    project_status, progress = _project_state(rng, status, signed_on)
    planned_start = signed_on + timedelta(days=rng.randint(60, 400))
    planned_end = planned_start + timedelta(days=rng.randint(300, 1100))
    actual_start = (
        planned_start + timedelta(days=rng.randint(0, 200))
        if project_status in {"works", "delivered", "in_service"}
        else None
    )
    if actual_start and actual_start > ANCHOR:
        actual_start = ANCHOR - timedelta(days=rng.randint(1, 60))
    opened_on = None
    if project_status == "in_service":
        opened_on = min(ANCHOR, max(actual_start, planned_end) + timedelta(days=rng.randint(0, 200)))
    where = commune.name_ar if commune else target_province.name_ar
    project = new_project(
        agreement=agreement,
        reference=f"{agreement.reference}-P{index + 1:02d}",
        title_ar=f"{title_ar} ب{where}",
        title_fr=f"{title_fr} — {commune.name_fr if commune else target_province.name_fr}",
        category=category,
        facility_type=world.facility_types.get(facility) if facility else None,
        region=region,
        province=target_province,
        budget=budget,
        status=project_status,
        status_reason="Défaillance de l'entreprise" if project_status == "suspended" else "",
        planned_start=planned_start,
        planned_end=planned_end,
        actual_start=actual_start,
        actual_end=opened_on,
        opened_on=opened_on,
        owner=world.orgs.get(f"DELEG-{target_province.code}"),
        delegated_owner=world.orgs["ANEP"] if rng.random() < 0.25 else None,
        beds=rng.choice([None, 20, 45, 60, 120]) if category == Category.PROXIMITY_HOSPITAL else None,
        physical_progress=progress,
        progress_updated_on=ANCHOR - timedelta(days=rng.randint(5, 200)) if progress else None,
    )
    if world.fictional:
        project.title_ar, project.title_fr = FICTIONAL_AR + project.title_ar, FICTIONAL_FR + project.title_fr
    project.latitude, project.longitude = world.point_in(target_province) or (None, None)
    return project, (commune, signed_on, planned_start, planned_end, project_status, progress)


def _synth_partners_and_projects(world: _World, created, plans):
    rng = world.rng
    partnerships, partnership_meta = [], []
    projects, project_meta = [], []
    for agreement, plan in zip(created, plans, strict=True):
        region, province, signed_on, duration, project_count, is_indh, status = plan
        for row in _agreement_partnerships(world, agreement, region, province, is_indh):
            partnerships.append(row)
            partnership_meta.append((signed_on, duration, status))
        budgets = _split(
            rng, (agreement.total_amount * Decimal(rng.uniform(0.85, 1))).quantize(CENT), project_count
        )
        for index, budget in enumerate(budgets):
            project, meta = _project_row(world, agreement, index, budget, plan)
            projects.append(project)
            project_meta.append(meta)
    _write_with_history(Partnership, partnerships, world.by)
    world.report.partnerships += len(partnerships)
    for row in projects:
        row.search_text = Project.build_search_text(row)
    _write_with_history(Project, projects, world.by)
    world.report.projects += len(projects)
    return partnerships, partnership_meta, projects, project_meta


def _synth_money(world: _World, partnerships, partnership_meta) -> None:
    rng = world.rng
    schedule, transfers = [], []
    for partnership, (signed_on, duration, _status) in zip(partnerships, partnership_meta, strict=True):
        if partnership.committed_amount in (None, Decimal("0.00")):
            continue
        tranches = _split(rng, partnership.committed_amount, rng.randint(2, min(duration, 5)))
        paid_share = rng.choices([1.0, 0.8, 0.5, 0.2, 0.0], [4, 3, 3, 2, 1])[0]
        transferred = Decimal("0.00")
        for year, amount in enumerate(tranches):
            due_on = date(
                signed_on.year + year + 1, rng.choice([3, 6, 9, 12]), 28 if rng.random() < 0.5 else 15
            )
            schedule.append(new_contribution(partnership=partnership, due_on=due_on, amount=amount))
            room = partnership.committed_amount - transferred
            transfer = _tranche_transfer(rng, partnership, year + 1, due_on, amount, paid_share, room)
            if transfer is not None:
                transferred += transfer.amount
                transfers.append(transfer)
    insert_rows(ScheduledContribution, schedule)
    insert_rows(Transfer, transfers)
    world.report.schedule += len(schedule)
    world.report.transfers += len(transfers)


def _tranche_transfer(rng, partnership, number: int, due_on: date, amount, paid_share: float, room):
    """The transfer paying a tranche fallen due, in full or (one time in five) half of it, or None when
    the partner leaves it unpaid or it would go past what remains of the commitment (`room`)."""
    if due_on > ANCHOR or rng.random() >= paid_share or amount <= 0:
        return None
    paid_on = min(ANCHOR, due_on + timedelta(days=rng.randint(-20, 240)))
    paid = amount if rng.random() < 0.8 else (amount * Decimal("0.5")).quantize(CENT)
    if paid > room:
        return None
    return new_transfer(
        partnership=partnership,
        transferred_on=paid_on,
        amount=paid,
        reference=f"OV-{partnership.pk}-{number}",
    )


SERVICE_CATEGORIES = {
    Category.STAFF_CONTRACTING,
    Category.MOBILE_CARAVANS,
    Category.IMAGING_EQUIPMENT,
    Category.PATIENT_TRANSPORT,
}
ACHIEVED_MILESTONES = {"planned": 0, "studies": 1, "tendering": 2, "works": 4, "suspended": 2, "cancelled": 1}


def _project_milestones(rng, project, planned_start, planned_end, project_status) -> list[Milestone]:
    kinds = SERVICE_MILESTONES if project.category in SERVICE_CATEGORIES else WORKS_MILESTONES
    span = (planned_end - planned_start).days
    achieved_until = {**ACHIEVED_MILESTONES, "delivered": len(kinds) - 1, "in_service": len(kinds)}[
        project_status
    ]
    milestones = []
    for index, kind in enumerate(kinds):
        planned_on = planned_start + timedelta(days=int(span * index / max(len(kinds) - 1, 1)))
        achieved_on = None
        if index < achieved_until:
            achieved_on = min(ANCHOR, planned_on + timedelta(days=rng.randint(-30, 150)))
        milestones.append(
            new_milestone(project=project, kind=kind, planned_on=planned_on, achieved_on=achieved_on)
        )
    return milestones


def _project_updates(rng, project, progress) -> list[ProgressUpdate]:
    updates = []
    steps = rng.randint(1, 4)
    for step in range(steps):
        value = int(progress * (step + 1) / steps)
        reported_on = ANCHOR - timedelta(days=(steps - step) * rng.randint(20, 120))
        updates.append(
            new_update(
                project=project,
                reported_on=reported_on,
                physical_progress=value,
                note="Avancement constaté sur site",
            )
        )
    return updates


def _project_contracts(rng, project, planned_start, progress, contracts, contract_meta) -> None:
    for kind, share in (("works", Decimal("0.7")), ("goods", Decimal("0.2"))):
        if rng.random() < 0.8:
            signed = min(ANCHOR, planned_start + timedelta(days=rng.randint(0, 120)))
            contracts.append(
                new_contract(
                    project=project,
                    kind=kind,
                    amount=(project.budget * share).quantize(CENT),
                    contractor_name=rng.choice(CONTRACTORS),
                    signed_on=signed,
                    reference=f"AO-{project.pk}-{kind[:1].upper()}",
                    duration_days=rng.choice([180, 270, 365, 540]),
                )
            )
            contract_meta.append((signed, progress))


def _synth_project_details(world: _World, partnerships, projects, project_meta):
    rng, report = world.rng, world.report
    fundings, milestones, updates, contracts, contract_meta = [], [], [], [], []
    communes_through = []
    partners_of = {}
    for partnership in partnerships:
        if partnership.committed_amount:
            partners_of.setdefault(partnership.agreement_id, []).append(partnership.organisation)
    for project, (commune, _signed_on, planned_start, planned_end, project_status, progress) in zip(
        projects, project_meta, strict=True
    ):
        if commune:
            communes_through.append(Row(project_id=project.pk, commune_id=commune.pk))
        funders = partners_of.get(project.agreement_id, [])[:3]
        if funders:
            for organisation, amount in zip(funders, _split(rng, project.budget, len(funders)), strict=True):
                fundings.append(new_funding(project=project, organisation=organisation, amount=amount))
        milestones += _project_milestones(rng, project, planned_start, planned_end, project_status)
        if progress:
            updates += _project_updates(rng, project, progress)
        if project_status in {"works", "delivered", "in_service", "suspended"}:
            _project_contracts(rng, project, planned_start, progress, contracts, contract_meta)
    insert_rows(Project.communes.through, communes_through)
    insert_rows(ProjectFunding, fundings)
    insert_rows(Milestone, milestones)
    insert_rows(ProgressUpdate, updates)
    assign_ids(Contract, contracts)
    insert_rows(Contract, contracts)
    report.fundings += len(fundings)
    report.milestones += len(milestones)
    report.updates += len(updates)
    report.contracts += len(contracts)
    return contracts, contract_meta


def _synth_payments(world: _World, contracts, contract_meta) -> None:
    rng = world.rng
    payments = []
    for contract, (signed, progress) in zip(contracts, contract_meta, strict=True):
        to_pay = (contract.amount * Decimal(progress) / 100).quantize(CENT)
        instalments = rng.randint(1, 4)
        for index, amount in enumerate(_split(rng, to_pay, instalments)):
            if amount <= 0:
                continue
            paid_on = min(ANCHOR, signed + timedelta(days=60 * (index + 1)))
            payments.append(
                new_payment(
                    contract=contract,
                    paid_on=paid_on,
                    amount=amount,
                    reference=f"DEC-{contract.pk}-{index + 1}",
                )
            )
    insert_rows(Payment, payments)
    world.report.payments += len(payments)


def _project_state(rng: random.Random, agreement_status: str, signed_on: date) -> tuple[str, int]:
    age = (ANCHOR - signed_on).days
    if agreement_status == "signed" or age < 200:
        return rng.choice(["planned", "studies"]), 0
    if agreement_status == "suspended":
        return "suspended", rng.randint(0, 60)
    if agreement_status == "completed":
        return rng.choices(["delivered", "in_service"], [1, 4])[0], 100
    status = rng.choices(
        ["planned", "studies", "tendering", "works", "delivered", "in_service", "suspended", "cancelled"],
        [1, 3, 3, 8, 2, 4, 1, 0.3],
    )[0]
    progress = {
        "planned": 0,
        "studies": 0,
        "tendering": 0,
        "works": rng.randint(5, 95),
        "delivered": 100,
        "in_service": 100,
        "suspended": rng.randint(0, 70),
        "cancelled": 0,
    }[status]
    return status, progress


def _synth_committees(rng, prefix, agreements, plans, projects, orgs, report: SynthReport) -> None:
    committees, links, members, meta = [], [], [], []
    for agreement, (region, province, signed_on, *_rest) in zip(agreements, plans, strict=True):
        if rng.random() > 0.6:
            continue
        place = province or region
        committees.append(
            new_committee(
                kind=rng.choices(["supervision", "steering", "technical"], [5, 2, 2])[0],
                name_ar=f"اللجنة الإقليمية للإشراف والتتبع — {agreement.reference}",
                name_fr=f"[{prefix}] Comité de suivi {agreement.reference} — {place.name_fr}",
                region=region,
                province=province,
                chair_role="عامل العمالة أو الإقليم" if province else "والي الجهة",
            )
        )
        meta.append((agreement, region, province, signed_on))
    assign_ids(Committee, committees)
    insert_rows(Committee, committees)
    report.committees += len(committees)
    meetings, meeting_meta = [], []
    for committee, (agreement, region, province, signed_on) in zip(committees, meta, strict=True):
        links.append(Row(committee_id=committee.pk, agreement_id=agreement.pk))
        codes = ["MSPS", territorial_body_code("region", region.code)]
        if province:
            codes.append(territorial_body_code("province", province.code))
        for code in codes:
            members.append(new_member(committee=committee, organisation=orgs[code]))
        held_on = signed_on
        for _ in range(rng.randint(1, 4)):
            held_on = held_on + timedelta(days=rng.randint(90, 240))
            if held_on > ANCHOR:
                break
            meetings.append(
                new_meeting(
                    committee=committee,
                    held_on=held_on,
                    place=f"مقر عمالة/إقليم {(province or region).name_ar}",
                    agenda="تتبع تقدم المشاريع وتحويل المساهمات",
                    minutes="صادقت اللجنة على محضر الاجتماع.",
                )
            )
            meeting_meta.append((committee, agreement, held_on))
    insert_rows(Committee.agreements.through, links)
    insert_rows(CommitteeMember, members)
    assign_ids(Meeting, meetings)
    insert_rows(Meeting, meetings)
    report.meetings += len(meetings)
    _synth_decisions(rng, meetings, meeting_meta, orgs, report)


DECISION_TEXTS = [
    "تسريع تحويل المساهمة المتبقية", "تسوية وضعية العقار", "إعداد الدراسات التقنية", "إطلاق طلب العروض",
    "توفير الموارد البشرية",
]  # fmt: skip


def _synth_decisions(rng, meetings, meeting_meta, orgs, report: SynthReport) -> None:
    decisions = []
    for meeting, (committee, agreement, held_on) in zip(meetings, meeting_meta, strict=True):
        for _ in range(rng.randint(0, 3)):
            due_on = held_on + timedelta(days=rng.randint(30, 180))
            done = due_on < ANCHOR and rng.random() < 0.6
            decisions.append(
                new_decision(
                    committee=committee,
                    meeting=meeting,
                    agreement=agreement,
                    text=rng.choice(DECISION_TEXTS),
                    responsible=orgs["MSPS"] if rng.random() < 0.5 else None,
                    due_on=due_on,
                    status="done" if done else rng.choice(["open", "in_progress"]),
                    closed_on=min(ANCHOR, due_on) if done else None,
                )
            )
    insert_rows(Decision, decisions)
    report.decisions += len(decisions)
