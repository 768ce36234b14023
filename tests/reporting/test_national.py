"""The national dashboard's figures kept by region: the same figures as computed whole, a write in
one region leaving the other regions' parts as they were, anything else making every part stale."""

import pickle
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import translation

from shiraka.accounts.access import visible_agreements
from shiraka.agreements import services as agreements
from shiraka.agreements.models import Agreement, Partnership
from shiraka.core.kept import slot_of
from shiraka.core.models import KeptPart
from shiraka.organisations import services as organisations
from shiraka.organisations.models import Organisation
from shiraka.portfolio import selectors as kept
from shiraka.portfolio.regions import region_parts
from shiraka.projects import services as projects
from shiraka.projects.models import Project
from shiraka.reporting import national
from shiraka.reporting.national import dashboard_figures, partner_figures, region_figures, summary_figures
from shiraka.reporting.selectors import progress_by_quarter

pytestmark = pytest.mark.django_db


def computed_whole(scope) -> dict:
    return {
        "summary": kept.portfolio_summary(scope),
        "regions": kept.breakdown(scope, "region"),
        "programmes": kept.breakdown(scope, "programme"),
        "partners": kept.breakdown_by_partner(scope, limit=10),
        "categories": kept.breakdown_by_category(scope),
        "progress_points": progress_by_quarter(scope),
    }


@pytest.fixture
def portfolio(reference):
    call_command("synth", agreements=24, seed=7, quiet=True)
    # Some agreements published, for the public's figures.
    published = list(Agreement.objects.order_by("pk").values_list("pk", flat=True))[::3]
    Agreement.objects.filter(pk__in=published).update(is_published=True)


@pytest.fixture
def asked(monkeypatch):
    """The kind of part and the regions each page computed."""
    calls = []
    compute = national._parts

    def recording(agreements, regions, **kwargs):
        calls.append((kwargs.get("family", national.PART), set(regions)))
        return compute(agreements, regions, **kwargs)

    monkeypatch.setattr(national, "_parts", recording)
    return calls


def money(regions) -> tuple:
    return (national.PART, set(regions))


def both(regions) -> list[tuple]:
    """Both kinds of parts of `regions`: their money sums, their projects and quarters."""
    return [money(regions), (national.PROJECTS_PART, set(regions))]


def every_region() -> list:
    return region_parts()


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_parts_add_up_to_the_figures_computed_whole(portfolio, language):
    with translation.override(language):
        for audience, scope in (
            ("all", Agreement.objects.all()),
            ("published", visible_agreements(AnonymousUser())),
        ):
            whole = computed_whole(scope)
            assert whole["summary"].agreements > 0 and whole["partners"]
            assert dashboard_figures(scope, audience) == whole  # computed part by part
            assert dashboard_figures(scope, audience) == whole  # read back from the cache


def test_a_transfer_makes_only_its_region_stale_and_shows_at_once(portfolio, asked):
    everything = Agreement.objects.all()
    before = dashboard_figures(everything, "all")
    share = (
        Partnership.objects.filter(agreement__status="in_execution", agreement__kind="partnership")
        .exclude(agreement__region=None)
        .select_related("agreement")
        .first()
    )
    agreements.transfer_record(partnership=share, transferred_on=date(2024, 5, 2), amount="1234.56")

    after = dashboard_figures(everything, "all")
    # A transfer leaves its region's projects and quarters as kept: its money sums alone computed.
    assert asked == [*both(every_region()), money([share.agreement.region_id])]
    assert after["summary"].transferred - before["summary"].transferred == Decimal("1234.56")
    assert after == computed_whole(everything)
    # The first page in French reads the same parts: the labels are made at each reading.
    with translation.override("fr"):
        dashboard_figures(everything, "all")
    assert len(asked) == 3
    # Progress reported on a project: its region's projects and quarters are computed again too.
    project = Project.objects.filter(agreement__status="in_execution").exclude(agreement__region=None).first()
    projects.progress_record(project=project, reported_on=date(2024, 6, 3), physical_progress=100)
    assert dashboard_figures(everything, "all") == computed_whole(everything)
    assert asked[3:] == both([project.agreement.region_id])


def test_a_renamed_partner_makes_every_part_stale(portfolio, asked):
    everything = Agreement.objects.all()
    dashboard_figures(everything, "all")
    partner = Partnership.objects.select_related("organisation").first().organisation
    organisations.organisation_update(partner, expected_version=partner.version, name_fr="Nouveau nom")
    figures = dashboard_figures(everything, "all")
    assert asked == both(every_region()) * 2
    assert figures == computed_whole(everything)


def test_a_region_page_reads_its_part_alone(portfolio, asked):
    everything = Agreement.objects.all()
    for region in region_parts()[:-1]:
        in_region = everything.filter(region=region)
        whole = computed_whole(in_region)
        del whole["regions"], whole["programmes"]
        figures = region_figures(everything, "all", region)
        assert {name: figures[name] for name in whole} == whole
        assert figures["provinces"] == kept.breakdown(in_region, "province")
    assert asked == [call for region in every_region()[:-1] for call in both([region])]
    # The dashboard then computes only the part of agreements without a region.
    assert dashboard_figures(everything, "all") == computed_whole(everything)
    assert asked[-2:] == both([None])


def test_the_list_totals_add_the_cached_parts_and_compute_the_others(portfolio, asked, monkeypatch):
    everything = Agreement.objects.all()
    public = visible_agreements(AnonymousUser())
    summed = []
    groups = national.agreement_groups
    monkeypatch.setattr(
        national, "agreement_groups", lambda scope, *by: summed.append(scope) or groups(scope, *by)
    )
    # Nothing cached: computed whole, and no part kept.
    assert summary_figures(everything, "all") == kept.portfolio_summary(everything)
    assert summary_figures(public, "published") == kept.portfolio_summary(public)
    assert asked == [] and len(summed) == 2
    # Read again with nothing changed: kept under the regions' versions, nothing computed.
    assert summary_figures(everything, "all") == kept.portfolio_summary(everything)
    assert len(summed) == 2
    dashboard_figures(everything, "all")
    summed.clear()
    assert summary_figures(everything, "all") == kept.portfolio_summary(everything)
    assert summed == []  # every part read from the cache
    share = (
        Partnership.objects.exclude(agreement__region=None).filter(agreement__status="in_execution").first()
    )
    agreements.transfer_record(partnership=share, transferred_on=date(2024, 5, 2), amount="0.01")
    # One region stale: its sums computed over its agreements alone, the others read from their parts.
    assert summary_figures(everything, "all") == kept.portfolio_summary(everything)
    # (Its query compiled once is first built for a marker key, which names no region: no agreement.)
    scopes = [set(scope.values_list("region", flat=True)) for scope in summed]
    assert [regions for regions in scopes if regions] == [{share.agreement.region_id}]
    assert len(asked) == 2


def test_a_list_read_without_the_dashboard_sums_again_only_the_region_written(portfolio, asked, monkeypatch):
    everything = Agreement.objects.all()
    summed = []
    groups = national.agreement_groups
    monkeypatch.setattr(
        national, "agreement_groups", lambda scope, *by: summed.append(scope) or groups(scope, *by)
    )
    assert summary_figures(everything, "all") == kept.portfolio_summary(everything)
    assert len(summed) == 1  # every region at once
    share = (
        Partnership.objects.exclude(agreement__region=None).filter(agreement__status="in_execution").first()
    )
    agreements.transfer_record(partnership=share, transferred_on=date(2024, 5, 2), amount="0.01")
    assert summary_figures(everything, "all") == kept.portfolio_summary(everything)
    assert [set(scope.values_list("region", flat=True)) for scope in summed[1:]] == [
        {share.agreement.region_id}
    ]
    # Progress reported on a project of another region: that region's projects by status counted again.
    project = (
        Project.objects.filter(agreement__status="in_execution")
        .exclude(agreement__region__in=[None, share.agreement.region_id])
        .first()
    )
    projects.progress_record(project=project, reported_on=date(2024, 6, 3), physical_progress=100)
    assert summary_figures(everything, "all") == kept.portfolio_summary(everything)
    assert [set(scope.values_list("region", flat=True)) for scope in summed[2:]] == [
        {project.agreement.region_id}
    ]
    assert asked == []  # no part of the dashboard computed for a list


def test_a_partners_figures_are_kept_by_region_and_summed_again_where_written(portfolio, monkeypatch):
    everything, public = Agreement.objects.all(), visible_agreements(AnonymousUser())
    partner = (
        Organisation.objects.annotate(n=Count("partnerships__agreement__region", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    assert partner.n > 1  # a partner in several regions
    summed = []
    sums = national.partner_sums
    monkeypatch.setattr(
        national, "partner_sums", lambda o, scope, *by: summed.append(scope) or sums(o, scope, *by)
    )
    assert partner_figures(partner, everything, "all") == kept.partner_summary(partner)
    assert partner_figures(partner, public, "published") == kept.partner_summary(partner, agreements=public)
    assert partner_figures(partner, everything, "all") == kept.partner_summary(partner)
    assert len(summed) == 2  # once per audience, then read
    share = (
        Partnership.objects.filter(organisation=partner, agreement__status="in_execution")
        .exclude(agreement__region=None)
        .exclude(committed_amount=None)
        .select_related("agreement")
        .first()
    )
    agreements.transfer_record(partnership=share, transferred_on=date(2024, 5, 2), amount="0.01")
    after = partner_figures(partner, everything, "all")
    assert after == kept.partner_summary(partner)
    assert [set(scope.values_list("region", flat=True)) for scope in summed[2:]] == [
        {share.agreement.region_id}
    ]


@pytest.fixture
def shared_reads(monkeypatch):
    """The keys each read asked of the shared cache (Redis or the local memory cache)."""
    from django.core.cache import cache as shared

    reads = []
    get_many = shared.get_many
    monkeypatch.setattr(
        shared, "get_many", lambda keys, **kw: reads.append(list(keys)) or get_many(keys, **kw)
    )
    return reads


def part_keys(reads) -> list[str]:
    return [key for keys in reads for key in keys if key.startswith("shiraka:national:")]


def test_a_dashboard_read_again_takes_its_parts_and_sums_from_the_process(portfolio, asked, shared_reads):
    everything = Agreement.objects.all()
    first = dashboard_figures(everything, "all")
    shared_reads.clear()
    assert dashboard_figures(everything, "all") == first == computed_whole(everything)
    assert asked == both(every_region())
    # Neither the parts nor their sums come from the shared cache (the versions are in the database).
    assert [key for keys in shared_reads for key in keys] == []
    # A transfer: the stale region's part is computed, the others are still read from the process.
    share = (
        Partnership.objects.exclude(agreement__region=None).filter(agreement__status="in_execution").first()
    )
    agreements.transfer_record(partnership=share, transferred_on=date(2024, 5, 2), amount="10.00")
    shared_reads.clear()
    after = dashboard_figures(everything, "all")
    assert after["summary"].transferred - first["summary"].transferred == Decimal("10.00")
    assert after == computed_whole(everything)
    assert asked[2:] == [money([share.agreement.region_id])]
    assert [slot_of(key).split(":")[-1] for key in part_keys(shared_reads)] == [
        str(share.agreement.region_id)
    ]


def test_a_cleared_cache_is_answered_from_the_parts_kept_in_the_database(portfolio, asked):
    from django.core.cache import cache as shared

    from shiraka.core import cache as kept_cache
    from shiraka.portfolio.models import AgreementFigures

    everything = Agreement.objects.all()
    first = dashboard_figures(everything, "all")
    assert first["summary"].transferred > 0
    shared.clear()
    kept_cache._KEPT.clear()
    assert dashboard_figures(everything, "all") == first
    assert asked == both(every_region())  # nothing summed again
    # A change no signal reports (as a restored backup is) shows once the figures are refreshed.
    AgreementFigures.objects.update(transferred=0)
    call_command("figures", "--refresh", stdout=StringIO())
    figures = dashboard_figures(everything, "all")
    # The regions of the agreements refreshed are summed again (here every agreement has one).
    assert asked[2:] == both(set(everything.values_list("region", flat=True)))
    assert figures["summary"].transferred == first["summary"].transferred
    assert figures == computed_whole(everything)


def test_what_the_process_keeps_lasts_as_long_as_the_cache_would(portfolio, asked, monkeypatch):
    from django.core.cache import cache as shared

    from shiraka.core import cache as kept_cache

    everything = Agreement.objects.all()
    dashboard_figures(everything, "all")
    # The shared cache's parts and sums expired; the process's copies still hold for a while.
    get_many = shared.get_many
    monkeypatch.setattr(
        shared,
        "get_many",
        lambda keys, **kw: get_many([key for key in keys if not key.startswith("shiraka:national")], **kw),
    )
    dashboard_figures(everything, "all")
    assert len(asked) == 2
    later = kept_cache.time.monotonic() + kept_cache.figures_seconds() + 1
    monkeypatch.setattr(kept_cache.time, "monotonic", lambda: later)
    # Past that, they are read from the database, not summed again; without them there, summed.
    assert dashboard_figures(everything, "all") == computed_whole(everything)
    assert len(asked) == 2
    KeptPart.objects.all().delete()
    later += kept_cache.figures_seconds() + 1
    assert dashboard_figures(everything, "all") == computed_whole(everything)
    assert asked == both(every_region()) * 2


def test_verify_proves_the_parts_kept_in_the_database_and_finds_one_changed(portfolio):
    from shiraka.portfolio.figures import verify_figures

    dashboard_figures(Agreement.objects.all(), "all")
    dashboard_figures(visible_agreements(AnonymousUser()), "published")
    summary_figures(Agreement.objects.all(), "all")
    assert KeptPart.objects.filter(slot__startswith="shiraka:national:published:").exists()
    assert verify_figures() == []

    row = KeptPart.objects.filter(slot__startswith="shiraka:national:all:region:").order_by("slot").first()
    part = pickle.loads(row.value)
    part["partners"] = part["partners"][1:]  # a partner's sums lost
    row.value = pickle.dumps(part)
    row.save()
    region = slot_of(row.key).split(":")[-1]
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("figures", "--verify", stdout=StringIO(), stderr=err)
    assert refused.value.returncode == 1
    assert f"region part (all region) {region}: partners kept" in err.getvalue()
    # What a reader was given is summed again once the figures are refreshed.
    call_command("figures", "--refresh", stdout=StringIO())
    assert verify_figures() == []
    assert dashboard_figures(Agreement.objects.all(), "all") == computed_whole(Agreement.objects.all())
