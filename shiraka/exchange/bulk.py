"""The import's bulk path: the new records of a sheet checked row by row by the same rules as the
forms, then written all at once with their history.

A sheet with a bulk writer (`BULK`) is read whole first. Its rows that create a record go through the
same permission question and the same service rules as one by one (`appliers.new_project` then
`projects.services.project_prepare`), then through the model's own checks for all of them at once
(`core.bulk.bulk_full_clean`: fields, links, unique references against the database and within the
file, constraints), and the good ones are written with `executemany` in batches, with a "created"
history row each by the importing user. A refused row is reported with its line and column exactly
as the one-by-one path reports it; the import then writes nothing (its one transaction is rolled
back). The rows that change an existing record, or repeat a reference created earlier in the file,
go through the one-by-one path after the new ones are written, as they would have in file order."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from shiraka.core.bulk import (
    QUERY_CHUNK,
    assign_ids,
    bulk_full_clean,
    insert_rows,
    insert_with_history,
    mark_written,
    stamp,
)
from shiraka.core.cache import bump_data_version
from shiraka.core.services import set_history_user
from shiraka.portfolio.figures import refresh_figures
from shiraka.projects.models import Project
from shiraka.projects.services import project_prepare

from .appliers import RowProblem, new_project
from .cells import CellError

REFUSALS = (ValidationError, RowProblem, CellError, PermissionDenied, Http404)


def _existing_references(model, references) -> set[str]:
    found = set()
    unique = list(dict.fromkeys(references))
    for start in range(0, len(unique), QUERY_CHUNK):
        chunk = unique[start : start + QUERY_CHUNK]
        found.update(model.objects.filter(reference__in=chunk).values_list("reference", flat=True))
    return found


def _split_new(rows, model) -> tuple[list, list]:
    """(rows creating a record, rows for the one-by-one path): a reference already registered, or
    repeated in the file after its first row, changes a record instead of creating one."""
    existing = _existing_references(model, [data["reference"] for _line, data in rows])
    seen, new, rest = set(), [], []
    for line, data in rows:
        reference = data["reference"]
        if reference in existing or reference in seen:
            rest.append((line, data))
        else:
            seen.add(reference)
            new.append((line, data))
    return new, rest


def bulk_projects(rows: list, lookups, refuse: Callable, created: Callable) -> list:
    """Create the new projects of `rows` ((line, parsed row) in file order); `refuse(line, error)` for
    each bad row, `created(line, label)` for each written one. Returns the rows left for the
    one-by-one path."""
    new, rest = _split_new(rows, Project)
    prepared = []  # (line, project, communes)
    for line, data in new:
        try:
            arguments = new_project(data, lookups)
            communes = list(arguments.pop("communes"))
            prepared.append((line, project_prepare(communes=communes, **arguments), communes))
        except REFUSALS as error:
            refuse(line, error)
    # The references of `new` were just looked up (`_split_new`): none is registered yet.
    errors = bulk_full_clean([project for _line, project, _communes in prepared], absent=("reference",))
    good = []
    for index, (line, project, communes) in enumerate(prepared):
        if index in errors:
            refuse(line, errors[index])
        else:
            good.append((line, project, communes))
    projects = [project for _line, project, _communes in good]
    write_projects(projects, [communes for _line, _project, communes in good], by=lookups.user)
    lookups.touched.update(project.agreement_id for project in projects)
    for line, project, _communes in good:
        lookups.projects[project.reference] = project
        created(line, project.reference)
    return rest


def write_projects(projects: list[Project], communes: list[list], *, by=None) -> None:
    """New projects, already checked, written with their communes and their history rows."""
    if not projects:
        return
    for project in projects:
        project.search_text = project.build_search_text()
        set_history_user(project, by)
    assign_ids(Project, projects)
    stamp(Project, projects)
    insert_with_history(Project, projects)
    mark_written(projects)
    through = Project.communes.through
    links = [
        through(project_id=project.pk, commune_id=commune.pk)
        for project, places in zip(projects, communes, strict=True)
        for commune in places
    ]
    insert_rows(through, links, with_pk=False)
    bump_data_version()


def refresh_kept_figures(agreement_ids) -> None:
    """The kept figures of the agreements a bulk write touched (issue 12): the bulk path writes no
    row through the services that keep them, so they are recomputed here, once per import (and per
    synth), in the same transaction."""
    refresh_figures(agreement_ids)


BULK = {"projects": bulk_projects}
