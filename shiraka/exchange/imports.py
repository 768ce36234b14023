"""The import: a workbook's rows written through the services, all of them or none.

`import_workbook(file, user, dry_run=True)` runs every row through the same service calls as the
forms, each in a savepoint so that one bad row does not hide the next, inside one transaction that is
rolled back for a dry run or when any row was refused. The report lists what each row creates or
changes and every refusal with its sheet, line, column and message in the reader's language."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from shiraka.core.bulk import collector_paused

from .appliers import APPLIERS, ParentLater, RowProblem
from .bulk import BULK, refresh_kept_figures
from .cells import CellError
from .lookups import Lookups
from .parsing import parse_row
from .readers import FileRefused, Table, open_tables

PROGRESS_EVERY = 200


@dataclass
class RowError:
    sheet: str
    line: int
    column: str
    message: str


@dataclass
class RowOutcome:
    sheet: str
    line: int
    action: str  # "create", "change", "unchanged", "skip"
    label: str
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    outcomes: list[RowOutcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    written: bool = False
    dry_run: bool = True

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "change": 0, "unchanged": 0, "skip": 0}
        for outcome in self.outcomes:
            counts[outcome.action] += 1
        return counts

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        return cls(
            outcomes=[RowOutcome(**o) for o in data.get("outcomes", [])],
            errors=[RowError(**e) for e in data.get("errors", [])],
            notices=list(data.get("notices", [])),
            written=bool(data.get("written")),
            dry_run=bool(data.get("dry_run", True)),
        )


class _Rollback(Exception):
    pass


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    """(service field, message) of a service's refusal."""
    if hasattr(error, "error_dict"):
        return [(name, str(message)) for name, errors in error.message_dict.items() for message in errors]
    return [(NON_FIELD_ERRORS, str(message)) for message in error.messages]


def _column_of(table: Table, service_field: str) -> str:
    for column in table.sheet.columns:
        if service_field in {column.service_field, column.key}:
            return table.headers.get(column.key, column.header())
    return ""


def _apply(table: Table, line: int, data: dict, lookups: Lookups, report: ImportReport, *, last=True) -> bool:
    """Write one row in its own savepoint; False when it waits for a parent written later."""
    try:
        with transaction.atomic():
            outcome = APPLIERS[table.sheet.key](data, lookups)
    except ParentLater:
        if not last:
            return False
        lookups.forget()
        report.errors.append(
            RowError(table.title, line, _column_of(table, "parent"), _("No agreement has this reference."))
        )
        return True
    except (ValidationError, RowProblem, CellError, PermissionDenied, Http404) as error:
        lookups.forget()  # a rolled-back row may have left cached records half-changed
        for service_field, message in _problems(error):
            report.errors.append(RowError(table.title, line, _column_of(table, service_field), message))
        return True
    action, label, changes = outcome
    headers = [_column_of(table, name) or name for name in changes]
    report.outcomes.append(RowOutcome(table.title, line, action, label, headers))
    return True


def _problems(error) -> list[tuple[str, str]]:
    if isinstance(error, ValidationError):
        return _messages(error)
    if isinstance(error, RowProblem | CellError):
        return [(getattr(error, "column", ""), str(error.message))]
    if isinstance(error, PermissionDenied):
        return [("", _("You may not change this record."))]
    return [("", _("This record does not exist or you may not see it."))]


def _run_table(table: Table, lookups: Lookups, report: ImportReport, tick: Callable[[], None]) -> None:
    bulk = BULK.get(table.sheet.key)
    waiting, parsed = [], []
    for line, values, formulas in table.rows:
        tick()
        for key in formulas:
            report.errors.append(
                RowError(
                    table.title,
                    line,
                    table.headers.get(key, key),
                    _(
                        "This cell holds a formula: the import reads values only. Copy the column and "
                        "paste it as values, then upload the file again."
                    ),
                )
            )
        data, cell_errors = parse_row(table, values, lookups)
        for key, message in cell_errors:
            report.errors.append(RowError(table.title, line, table.headers.get(key, key), message))
        if formulas or cell_errors:
            continue
        if bulk is not None:
            parsed.append((line, data))
        elif not _apply(table, line, data, lookups, report, last=False):
            waiting.append((line, data))
    if bulk is not None:
        waiting = _run_bulk(bulk, table, parsed, lookups, report)
    # Amendments and specific agreements listed before their parent: tried again once it is written.
    for attempt in range(3):
        waiting = [
            (line, data)
            for line, data in waiting
            if not _apply(table, line, data, lookups, report, last=attempt == 2)
        ]


def _run_bulk(bulk, table: Table, rows: list, lookups: Lookups, report: ImportReport) -> list:
    """The sheet's new records at once (exchange.bulk), then its other rows one by one."""

    def refuse(line: int, error) -> None:
        for service_field, message in _problems(error):
            report.errors.append(RowError(table.title, line, _column_of(table, service_field), message))

    def created(line: int, label: str) -> None:
        report.outcomes.append(RowOutcome(table.title, line, "create", label, []))

    rest = bulk(rows, lookups, refuse, created)
    return [(line, data) for line, data in rest if not _apply(table, line, data, lookups, report, last=False)]


@collector_paused()
def import_workbook(file, user, *, dry_run: bool = True, progress: Callable[[int, int], None] | None = None):
    """Read `file` (XLSX or CSV) and write its rows as `user`, or only check them (`dry_run`).
    Returns an `ImportReport`; `written` is true only when every row was written."""
    report = ImportReport(dry_run=dry_run)
    try:
        tables = open_tables(file)
    except FileRefused as refusal:
        report.errors.append(RowError("", 0, "", refusal.message))
        return report
    total = sum(t.size for t in tables) or 1
    done = 0

    def tick():
        nonlocal done
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(min(done, total), total)

    lookups = Lookups(user)
    try:
        with transaction.atomic():
            for table in tables:
                _check_headers(table, report)
            if not report.errors:
                for table in tables:
                    _run_table(table, lookups, report, tick)
                    report.notices += [
                        _("Column «%(name)s» of «%(sheet)s» is not read.")
                        % {"name": name, "sheet": table.title}
                        for name in table.unknown_headers
                    ]
            # Rows tried again after their parent are reported in the order of the file.
            order = {table.title: index for index, table in enumerate(tables)}
            report.errors.sort(key=lambda e: (order.get(e.sheet, -1), e.line))
            report.outcomes.sort(key=lambda o: (order.get(o.sheet, -1), o.line))
            if not report.outcomes and not report.errors:
                report.errors.append(RowError("", 0, "", _("This file has no rows to import.")))
            if dry_run or report.errors:
                raise _Rollback
            if lookups.touched:
                refresh_kept_figures(sorted(lookups.touched))
            report.written = True
    except _Rollback:
        pass
    if progress is not None:
        progress(total, total)
    return report


def _check_headers(table: Table, report: ImportReport) -> None:
    present = {c.key for c in table.columns.values()}
    for column in table.sheet.columns:
        if column.required and column.key not in present:
            report.errors.append(
                RowError(table.title, 1, column.header(), _("This column is missing: it must be filled."))
            )
