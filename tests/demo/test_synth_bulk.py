"""The synthetic portfolio written in bulk (issue 12): light rows and executemany, yet the same
records a page reads: ids that later saves do not reuse, a "created" history row for each agreement,
partnership and project, and kept figures exact to the centime."""

import pytest
from django.utils import translation

from shiraka.agreements.models import Agreement, Partnership
from shiraka.core.history import page_history
from shiraka.demo.synth import synth_generate
from shiraka.portfolio.figures import verify_figures
from shiraka.portfolio.models import AgreementFigures
from shiraka.projects.models import Project
from shiraka.projects.services import project_create

pytestmark = pytest.mark.django_db


def test_history_rows_ids_and_kept_figures_after_a_bulk_build(reference):
    report = synth_generate(agreements=8, seed=5, show_progress=False)
    agreements = Agreement.objects.filter(reference__startswith="SYN5-")
    projects = Project.objects.filter(agreement__in=agreements)
    assert agreements.count() == 8 and projects.count() == report.projects
    for model, rows in (
        (Agreement, agreements),
        (Partnership, Partnership.objects.all()),
        (Project, projects),
    ):
        created = model.history.filter(history_type="+")
        assert created.count() == rows.count(), model
        assert set(created.values_list("id", flat=True)) == set(rows.values_list("pk", flat=True))
    project = projects.order_by("pk").first()
    assert project.search_text == project.build_search_text()
    history = project.history.get()
    assert history.history_user is None and history.budget == project.budget
    assert history.created_at == project.created_at
    with translation.override("fr"):
        [entry] = page_history(project, shown=True)
    assert (entry.action, entry.who, entry.by_system) == ("created", "système", True)
    # Kept figures for every new agreement, equal to what the rows give.
    assert AgreementFigures.objects.filter(agreement__in=agreements).count() == 8
    assert verify_figures() == []
    # A record saved afterwards gets a new id: no history mixed with a synthetic one.
    later = project_create(
        agreement=project.agreement, reference="AFTER-SYNTH", category="health_centre", budget="10.00"
    )
    assert later.pk > projects.exclude(pk=later.pk).order_by("-pk").first().pk
    assert later.history.count() == 1
