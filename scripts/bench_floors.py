"""The SQL floor of each benchmarked page: hand-written SQL computing the same figures as the page
(straight from the money, project and follow-up rows, with GROUP BY and window functions rather than
correlated subqueries), run in the same process as the page so the two are timed alike.

Each floor is a function `(cursor, today, target) -> dict` returning the figures it computed, so that
tests/portfolio/test_bench_floors.py can check them against the app's selectors: a floor that computes
less than its page would flatter the page. Amounts come back as whole centimes (how they are stored).
Only SQL that runs unchanged on SQLite and PostgreSQL, apart from `quarter()`."""

from dataclasses import dataclass
from datetime import date

COUNTED = "('signed', 'in_execution', 'completed', 'suspended')"
PAGE = 50
LATEST = 20


@dataclass
class Target:
    """What the pages with a key point at: the region, province, organisation, agreement, project."""

    region_id: int | None = None
    province_id: int | None = None
    organisation_id: int | None = None
    agreement_id: int | None = None
    project_id: int | None = None


def _scope(target: "Target", prefix: str = "") -> tuple[str, list]:
    """The region or province filter of a territory page on agreement columns (`prefix` "a." or "")."""
    sql, params = "", []
    for column in ("region_id", "province_id"):
        value = getattr(target, column)
        if value is not None:
            sql += f" AND {prefix}{column} = %s"
            params.append(value)
    return sql, params


# The agreements that count (no drafts, no cancelled), in scope, and each partnership's effective
# commitment (its latest counted amendment naming the partner wins), due to date and transferred.
PARTNERSHIP_FIGURES = """
counted AS (
  SELECT id, kind, region_id, province_id, programme_id FROM agreements_agreement
  WHERE {statuses} {scope}
),
{amended},
scoped AS (
  SELECT p.id, p.agreement_id, p.organisation_id, p.committed_amount, a.kind, a.region_id,
         a.province_id, a.programme_id
  FROM agreements_partnership p JOIN counted a ON a.id = p.agreement_id {partnerships}
),
due AS (
  SELECT s.partnership_id, SUM(s.amount) AS amount FROM agreements_scheduledcontribution s
  JOIN scoped ON scoped.id = s.partnership_id WHERE s.due_on <= %s GROUP BY s.partnership_id
),
paid_in AS (
  SELECT t.partnership_id, SUM(t.amount) AS amount FROM agreements_transfer t
  JOIN scoped ON scoped.id = t.partnership_id WHERE t.cancelled_at IS NULL GROUP BY t.partnership_id
),
figures AS (
  SELECT scoped.*, COALESCE(m.committed_amount, scoped.committed_amount) AS committed,
         COALESCE(d.amount, 0) AS due, COALESCE(t.amount, 0) AS transferred,
         CASE WHEN COALESCE(d.amount, 0) > COALESCE(t.amount, 0)
              THEN COALESCE(d.amount, 0) - COALESCE(t.amount, 0) ELSE 0 END AS arrears
  FROM scoped
  LEFT JOIN amended m ON m.agreement_id = scoped.agreement_id
       AND m.organisation_id = scoped.organisation_id AND m.rn = 1
  LEFT JOIN due d ON d.partnership_id = scoped.id
  LEFT JOIN paid_in t ON t.partnership_id = scoped.id
)"""

# Each partner's commitment as its latest counted amendment states it (rn = 1).
AMENDED_COMMITMENTS = """
amended AS (
  SELECT am.parent_id AS agreement_id, ap.organisation_id, ap.committed_amount,
         ROW_NUMBER() OVER (PARTITION BY am.parent_id, ap.organisation_id
                            ORDER BY am.signed_on DESC NULLS LAST, am.id DESC) AS rn
  FROM agreements_partnership ap JOIN agreements_agreement am ON am.id = ap.agreement_id
  WHERE am.kind = 'amendment' AND am.status IN {counted} AND ap.committed_amount IS NOT NULL
)"""
AMENDED_TOTALS = """
amended_total AS (
  SELECT parent_id, total_amount,
         ROW_NUMBER() OVER (PARTITION BY parent_id ORDER BY signed_on DESC NULLS LAST, id DESC) AS rn
  FROM agreements_agreement
  WHERE kind = 'amendment' AND status IN {counted} AND total_amount IS NOT NULL
)"""


def _partnership_cte(
    scope_sql: str, *, partnerships: str = "WHERE a.kind <> 'amendment'", counted_only: bool = True
) -> str:
    statuses = f"status IN {COUNTED}" if counted_only else "1 = 1"
    return PARTNERSHIP_FIGURES.format(
        amended=AMENDED_COMMITMENTS.format(counted=COUNTED),
        counted=COUNTED,
        statuses=statuses,
        scope=scope_sql,
        partnerships=partnerships,
    )


def _rows(cursor, sql: str, params: list) -> list[tuple]:
    cursor.execute(sql, params)
    return cursor.fetchall()


def _totals_sql(scope_sql: str, keys: str, group: str) -> str:
    """Agreements, their amended totals, commitments and what is not yet allocated, per key: the
    hierarchy rule (framework and stand-alone agreements only; an amendment's figures replace)."""
    return f"""WITH {AMENDED_TOTALS.format(counted=COUNTED)},
    {AMENDED_COMMITMENTS.format(counted=COUNTED)},
    roots AS (
      SELECT id, region_id, province_id, programme_id, total_amount FROM agreements_agreement
      WHERE status IN {COUNTED} AND kind NOT IN ('amendment', 'specific') {scope_sql}
    ),
    committed AS (
      SELECT p.agreement_id, SUM(COALESCE(m.committed_amount, p.committed_amount)) AS amount
      FROM agreements_partnership p JOIN roots ON roots.id = p.agreement_id
      LEFT JOIN amended m ON m.agreement_id = p.agreement_id
           AND m.organisation_id = p.organisation_id AND m.rn = 1
      GROUP BY p.agreement_id
    ),
    figures AS (
      SELECT roots.*, COALESCE(t.total_amount, roots.total_amount) AS effective,
             COALESCE(c.amount, 0) AS committed
      FROM roots LEFT JOIN amended_total t ON t.parent_id = roots.id AND t.rn = 1
      LEFT JOIN committed c ON c.agreement_id = roots.id
    )
    SELECT {keys}, COUNT(*), SUM(effective), SUM(committed),
           SUM(CASE WHEN effective > committed THEN effective - committed ELSE 0 END)
    FROM figures {group}"""


def portfolio(cursor, today: date, target: Target, *, by: tuple[str, ...]) -> dict:
    """A portfolio summary and its breakdowns by `by` (agreement columns, e.g. region_id): the
    dashboard's and territory pages' figures. Four GROUP BY queries, folded in Python."""
    scope_sql, scope_params = _scope(target)
    a_scope = _scope(target, "a.")[0]
    keys = ", ".join(by) if by else "NULL"
    group = f"GROUP BY {keys}" if by else ""  # PostgreSQL refuses GROUP BY NULL
    totals = _rows(cursor, _totals_sql(scope_sql, keys, group), scope_params)
    money = _rows(
        cursor,
        f"""WITH {_partnership_cte(scope_sql)}
        SELECT {keys}, SUM(CASE WHEN kind <> 'specific' THEN committed END), SUM(due), SUM(transferred),
               SUM(arrears), SUM(CASE WHEN kind <> 'specific' AND committed IS NULL THEN 1 ELSE 0 END)
        FROM figures {group}""",
        scope_params + [today],
    )
    projects = _rows(
        cursor,
        f"""SELECT {", ".join(f"a.{k}" for k in by) or "NULL"}, p.status, p.category, COUNT(*), SUM(p.budget),
               SUM(CASE WHEN p.budget > 0 THEN p.physical_progress * CAST(p.budget AS FLOAT) END),
               SUM(CASE WHEN p.budget > 0 THEN CAST(p.budget AS FLOAT) END), SUM(p.physical_progress)
        FROM projects_project p JOIN agreements_agreement a ON a.id = p.agreement_id
        WHERE a.status IN {COUNTED} AND a.kind <> 'amendment' {a_scope}
        GROUP BY {", ".join(f"a.{k}" for k in by) + ", " if by else ""}p.status, p.category""",
        scope_params,
    )
    paid = _rows(
        cursor,
        f"""SELECT SUM(pay.amount) FROM projects_payment pay
        JOIN projects_contract c ON c.id = pay.contract_id JOIN projects_project p ON p.id = c.project_id
        JOIN agreements_agreement a ON a.id = p.agreement_id
        WHERE pay.cancelled_at IS NULL AND a.status IN {COUNTED} AND a.kind <> 'amendment'
        {a_scope}""",
        scope_params,
    )
    return _fold(totals, money, projects, paid[0][0] or 0, len(by))


def _fold(totals, money, projects, paid, width: int) -> dict:
    """National figures and per-key breakdowns from the grouped rows."""
    summary = {"agreements": 0, "total": 0, "committed": 0, "unallocated": 0, "due": 0, "transferred": 0}
    summary.update(arrears=0, unspecified=0, projects=0, budget=0, paid=paid, by_status={}, by_category={})
    breakdowns: dict = {}
    weights = [0.0, 0.0, 0]
    for row in totals:
        key, (n, total, committed, unallocated) = row[:width] if width else (), row[max(width, 1) :]
        summary["agreements"] += n
        summary["total"] += total or 0
        summary["committed"] += committed or 0
        summary["unallocated"] += unallocated or 0
        breakdowns.setdefault(key, {}).update(agreements=n, total=total or 0)
    for row in money:
        key, (_committed, due, transferred, arrears, unspecified) = (
            row[:width] if width else (),
            row[max(width, 1) :],
        )
        for name, value in (("due", due), ("transferred", transferred), ("arrears", arrears)):
            summary[name] += value or 0
            breakdowns.setdefault(key, {})[name] = breakdowns.get(key, {}).get(name, 0) + (value or 0)
        summary["unspecified"] += unspecified or 0
    for row in projects:
        key, (status, category, n, budget, weighted, weight, plain) = (
            row[:width] if width else (),
            row[max(width, 1) :],
        )
        summary["projects"] += n
        summary["budget"] += budget or 0
        summary["by_status"][status] = summary["by_status"].get(status, 0) + n
        summary["by_category"][category] = summary["by_category"].get(category, 0) + n
        weights[0] += weighted or 0.0
        weights[1] += weight or 0.0
        weights[2] += plain or 0
        breakdowns.setdefault(key, {})["projects"] = breakdowns.get(key, {}).get("projects", 0) + n
    if weights[1]:
        summary["progress"] = round(weights[0] / weights[1], 1)
    else:
        summary["progress"] = round(weights[2] / summary["projects"], 1) if summary["projects"] else None
    return {"summary": summary, "breakdowns": breakdowns}


def partners(cursor, today: date, target: Target, *, limit: int = 10) -> list[tuple]:
    """Partners with the largest arrears: organisation, agreements, committed, due, transferred, arrears."""
    scope_sql, params = _scope(target)
    return _rows(
        cursor,
        f"""WITH {_partnership_cte(scope_sql)}
        SELECT organisation_id, COUNT(DISTINCT CASE WHEN kind <> 'specific' THEN agreement_id END),
               SUM(CASE WHEN kind <> 'specific' THEN committed END), SUM(due), SUM(transferred),
               SUM(arrears) AS arrears_sum
        FROM figures GROUP BY organisation_id
        ORDER BY arrears_sum DESC NULLS LAST, 3 DESC NULLS LAST, organisation_id LIMIT {limit}""",
        params + [today],
    )


QUARTER = {
    "sqlite": "strftime('%%Y', u.reported_on) || '-' || ((CAST(strftime('%%m', u.reported_on) AS INTEGER) + 2) / 3)",
    "postgresql": "date_trunc('quarter', u.reported_on)",
}


def quarters(cursor, today: date, target: Target) -> list[tuple]:
    """Mean reported progress per quarter for the projects of the counted agreements in scope."""
    scope_sql, params = _scope(target, "a.")
    quarter = QUARTER[cursor.db.vendor]
    return _rows(
        cursor,
        f"""SELECT {quarter} AS q, AVG(u.physical_progress), COUNT(*) FROM projects_progressupdate u
        JOIN projects_project p ON p.id = u.project_id JOIN agreements_agreement a ON a.id = p.agreement_id
        WHERE a.status IN {COUNTED} AND a.kind <> 'amendment' {scope_sql}
        GROUP BY q ORDER BY q""",
        params,
    )


def agreement_rows(cursor, today: date, chosen: str, params: list, *, order: str, limit: int) -> list[tuple]:
    """Agreements (ids from the `chosen` SELECT) with their own figures, as list rows: id, reference,
    effective total, committed, due, transferred, arrears, budget, paid, projects; `order` and `limit`
    over those figures."""
    return _rows(
        cursor,
        f"""WITH {AMENDED_TOTALS.format(counted=COUNTED)},
        chosen AS ({chosen}),
        pf AS (
          SELECT p.id, p.agreement_id, COALESCE(m.committed_amount, p.committed_amount) AS committed
          FROM agreements_partnership p JOIN chosen ON chosen.id = p.agreement_id
          LEFT JOIN (
            SELECT am.parent_id, ap.organisation_id, ap.committed_amount,
                   ROW_NUMBER() OVER (PARTITION BY am.parent_id, ap.organisation_id
                                      ORDER BY am.signed_on DESC NULLS LAST, am.id DESC) AS rn
            FROM agreements_partnership ap JOIN agreements_agreement am ON am.id = ap.agreement_id
            JOIN chosen ON chosen.id = am.parent_id
            WHERE am.kind = 'amendment' AND am.status IN {COUNTED} AND ap.committed_amount IS NOT NULL
          ) m ON m.parent_id = p.agreement_id AND m.organisation_id = p.organisation_id AND m.rn = 1
        ),
        due AS (SELECT s.partnership_id, SUM(s.amount) AS amount FROM agreements_scheduledcontribution s
                JOIN pf ON pf.id = s.partnership_id WHERE s.due_on <= %s GROUP BY s.partnership_id),
        tr AS (SELECT t.partnership_id, SUM(t.amount) AS amount FROM agreements_transfer t
               JOIN pf ON pf.id = t.partnership_id WHERE t.cancelled_at IS NULL GROUP BY t.partnership_id),
        per AS (
          SELECT pf.agreement_id, SUM(pf.committed) AS committed, SUM(COALESCE(due.amount, 0)) AS due,
                 SUM(COALESCE(tr.amount, 0)) AS transferred,
                 SUM(CASE WHEN COALESCE(due.amount, 0) > COALESCE(tr.amount, 0)
                          THEN COALESCE(due.amount, 0) - COALESCE(tr.amount, 0) ELSE 0 END) AS arrears
          FROM pf LEFT JOIN due ON due.partnership_id = pf.id LEFT JOIN tr ON tr.partnership_id = pf.id
          GROUP BY pf.agreement_id
        ),
        proj AS (SELECT p.agreement_id, SUM(p.budget) AS budget, COUNT(*) AS n FROM projects_project p
                 JOIN chosen ON chosen.id = p.agreement_id GROUP BY p.agreement_id),
        pay AS (SELECT p.agreement_id, SUM(pay.amount) AS paid FROM projects_payment pay
                JOIN projects_contract c ON c.id = pay.contract_id JOIN projects_project p ON p.id = c.project_id
                JOIN chosen ON chosen.id = p.agreement_id WHERE pay.cancelled_at IS NULL GROUP BY p.agreement_id)
        SELECT a.id, a.reference, COALESCE(t.total_amount, a.total_amount) AS total,
               COALESCE(per.committed, 0), COALESCE(per.due, 0), COALESCE(per.transferred, 0),
               COALESCE(per.arrears, 0) AS arrears, COALESCE(proj.budget, 0), COALESCE(pay.paid, 0),
               COALESCE(proj.n, 0)
        FROM agreements_agreement a JOIN chosen ON chosen.id = a.id
        LEFT JOIN amended_total t ON t.parent_id = a.id AND t.rn = 1
        LEFT JOIN per ON per.agreement_id = a.id LEFT JOIN proj ON proj.agreement_id = a.id
        LEFT JOIN pay ON pay.agreement_id = a.id
        ORDER BY {order} LIMIT {limit}""",
        params + [today],
    )


def _latest(cursor, today: date, target: Target, limit: int = LATEST) -> list[tuple]:
    scope_sql, params = _scope(target)
    chosen = f"SELECT id FROM agreements_agreement WHERE 1 = 1 {scope_sql} ORDER BY signed_on DESC NULLS LAST, id DESC LIMIT {limit}"
    return agreement_rows(
        cursor, today, chosen, params, order="a.signed_on DESC NULLS LAST, a.id DESC", limit=limit
    )


def dashboard(cursor, today: date, target: Target) -> dict:
    """Summary, by region and programme, top partners, categories, quarters, the latest agreements, drafts."""
    figures = portfolio(cursor, today, target, by=("region_id", "programme_id"))
    figures["partners"] = partners(cursor, today, target)
    figures["quarters"] = quarters(cursor, today, target)
    figures["latest"] = _latest(cursor, today, target)
    figures["drafts"] = _rows(cursor, "SELECT COUNT(*) FROM agreements_agreement WHERE status = 'draft'", [])
    return figures


def territory(cursor, today: date, target: Target) -> dict:
    """A region page (with its provinces) or a province page."""
    by = ("province_id",) if target.province_id is None else ()
    figures = portfolio(cursor, today, target, by=by)
    figures["partners"] = partners(cursor, today, target)
    figures["quarters"] = quarters(cursor, today, target)
    figures["latest"] = _latest(cursor, today, target)
    return figures


def agreement_list(cursor, today: date, target: Target, *, order: str = "signed") -> dict:
    """First page of the agreement list (every agreement the administrator sees) and its summary."""
    figures = portfolio(cursor, today, target, by=())
    figures["count"] = _rows(cursor, "SELECT COUNT(*) FROM agreements_agreement", [])[0][0]
    if order == "signed":
        chosen = (
            f"SELECT id FROM agreements_agreement ORDER BY signed_on DESC NULLS LAST, id DESC LIMIT {PAGE}"
        )
        sort = "a.signed_on DESC NULLS LAST, a.id DESC"
    else:  # by arrears: every agreement's arrears is needed to find the first page
        chosen, sort = "SELECT id FROM agreements_agreement", "arrears DESC, a.id DESC"
    figures["rows"] = agreement_rows(cursor, today, chosen, [], order=sort, limit=PAGE)
    return figures


def agreement_list_by_arrears(cursor, today: date, target: Target) -> dict:
    return agreement_list(cursor, today, target, order="arrears")


PROJECT_ROWS = """
SELECT p.id, p.reference, p.budget, p.status, a.reference,
       (SELECT SUM(pay.amount) FROM projects_payment pay JOIN projects_contract c ON c.id = pay.contract_id
        WHERE c.project_id = p.id AND pay.cancelled_at IS NULL),
       (SELECT COUNT(*) FROM projects_milestone m
        WHERE m.project_id = p.id AND m.planned_on < %s AND m.achieved_on IS NULL)
FROM projects_project p JOIN agreements_agreement a ON a.id = p.agreement_id
WHERE 1 = 1 {where} ORDER BY p.reference LIMIT {limit}"""

LATE = (
    " AND EXISTS (SELECT 1 FROM projects_milestone m WHERE m.project_id = p.id"
    " AND m.planned_on < %s AND m.achieved_on IS NULL)"
)


def project_list(cursor, today: date, target: Target, *, late: bool = False) -> dict:
    where, params = (LATE, [today]) if late else ("", [])
    count = _rows(cursor, f"SELECT COUNT(*) FROM projects_project p WHERE 1 = 1 {where}", params)[0][0]
    rows = _rows(cursor, PROJECT_ROWS.format(where=where, limit=PAGE), [today, *params])
    return {"count": count, "rows": rows}


def project_list_late(cursor, today: date, target: Target) -> dict:
    return project_list(cursor, today, target, late=True)


def organisation(cursor, today: date, target: Target) -> dict:
    """A partner's summary over its agreements, its first page of partnerships, its projects."""
    partner_cte = _partnership_cte("", partnerships="WHERE a.kind <> 'amendment' AND p.organisation_id = %s")
    summary = _rows(
        cursor,
        f"""WITH {partner_cte}
        SELECT COUNT(DISTINCT CASE WHEN kind <> 'specific' THEN agreement_id END),
               SUM(CASE WHEN kind <> 'specific' THEN committed END), SUM(due), SUM(transferred), SUM(arrears),
               SUM(CASE WHEN kind <> 'specific' AND committed IS NULL THEN 1 ELSE 0 END)
        FROM figures""",
        [target.organisation_id, today],
    )
    page_cte = _partnership_cte("", partnerships="WHERE p.organisation_id = %s", counted_only=False)
    page = _rows(
        cursor,
        f"""WITH {page_cte}
        SELECT f.id, x.reference, f.committed, f.due, f.transferred, f.arrears FROM figures f
        JOIN agreements_agreement x ON x.id = f.agreement_id
        ORDER BY x.signed_on DESC NULLS LAST, f.id LIMIT {PAGE}""",
        [target.organisation_id, today],
    )
    owned = " AND (p.owner_id = %s OR p.delegated_owner_id = %s)"
    ids = [target.organisation_id] * 2
    count = _rows(cursor, f"SELECT COUNT(*) FROM projects_project p WHERE 1 = 1 {owned}", ids)[0][0]
    projects = _rows(cursor, PROJECT_ROWS.format(where=owned, limit=PAGE), [today, *ids])
    return {"summary": summary[0], "partnerships": page, "project_count": count, "projects": projects}


ALERT_COUNTS = {
    "milestone_late": """
        SELECT COUNT(DISTINCT m.project_id) FROM projects_milestone m
        JOIN projects_project p ON p.id = m.project_id JOIN agreements_agreement a ON a.id = p.agreement_id
        WHERE m.planned_on < %(today)s AND m.achieved_on IS NULL AND a.status IN {counted}
          AND p.status NOT IN ('suspended', 'cancelled')""",
    "contribution_overdue": """
        WITH {partnerships},
        running AS (
          SELECT s.partnership_id, s.due_on,
                 SUM(s.amount) OVER (PARTITION BY s.partnership_id ORDER BY s.due_on) AS running
          FROM agreements_scheduledcontribution s JOIN figures f ON f.id = s.partnership_id
          WHERE f.arrears > 0 AND s.due_on <= %(today)s
        )
        SELECT COUNT(*), COUNT(since) FROM (
          SELECT f.id, MIN(r.due_on) AS since FROM figures f
          LEFT JOIN running r ON r.partnership_id = f.id AND r.running > f.transferred
          WHERE f.arrears > 0 GROUP BY f.id
        ) overdue""",
    "progress_stale": """
        SELECT COUNT(*) FROM projects_project p JOIN agreements_agreement a ON a.id = p.agreement_id
        WHERE p.status = 'works' AND a.status IN {counted}
          AND (p.progress_updated_on IS NULL OR p.progress_updated_on < %(stale)s)""",
    "project_overdue": """
        SELECT COUNT(*) FROM projects_project p JOIN agreements_agreement a ON a.id = p.agreement_id
        WHERE p.planned_end < %(today)s AND a.status IN {counted}
          AND p.status NOT IN ('delivered', 'in_service', 'cancelled')""",
    "decision_overdue": """
        SELECT COUNT(*) FROM followup_decision d
        LEFT JOIN agreements_agreement a ON a.id = d.agreement_id
        LEFT JOIN projects_project p ON p.id = d.project_id
        LEFT JOIN agreements_agreement pa ON pa.id = p.agreement_id
        WHERE d.status IN ('open', 'in_progress') AND d.due_on < %(today)s AND (
          a.status IN {counted}
          OR (d.agreement_id IS NULL AND pa.status IN {counted})
          OR (d.agreement_id IS NULL AND d.project_id IS NULL AND EXISTS (
                SELECT 1 FROM followup_committee_agreements ca
                JOIN agreements_agreement ca_a ON ca_a.id = ca.agreement_id
                WHERE ca.committee_id = d.committee_id AND ca_a.status IN {counted})))""",
    "commitments_over_total": """
        WITH {totals}, {partnerships_all},
        committed AS (SELECT agreement_id, SUM(committed) AS amount FROM figures GROUP BY agreement_id)
        SELECT COUNT(*) FROM counted a JOIN agreements_agreement x ON x.id = a.id
        LEFT JOIN amended_total t ON t.parent_id = a.id AND t.rn = 1
        JOIN committed c ON c.agreement_id = a.id
        WHERE a.kind <> 'amendment' AND COALESCE(t.total_amount, x.total_amount) IS NOT NULL
          AND c.amount > COALESCE(t.total_amount, x.total_amount)""",
    "budgets_over_total": """
        WITH {totals},
        budgets AS (SELECT agreement_id, SUM(budget) AS amount FROM projects_project GROUP BY agreement_id)
        SELECT COUNT(*) FROM agreements_agreement a
        LEFT JOIN amended_total t ON t.parent_id = a.id AND t.rn = 1
        JOIN budgets b ON b.agreement_id = a.id
        WHERE a.status IN {counted} AND a.kind <> 'amendment'
          AND COALESCE(t.total_amount, a.total_amount) IS NOT NULL
          AND b.amount > COALESCE(t.total_amount, a.total_amount)""",
}


def alerts(cursor, today: date, target: Target) -> dict:
    """How many alerts of each kind (the page shows these counts and the first page of the list)."""
    from datetime import timedelta

    counts = {}
    values = {"today": today, "stale": today - timedelta(days=90)}
    for kind, template in ALERT_COUNTS.items():
        sql = template.format(
            counted=COUNTED,
            totals=AMENDED_TOTALS.format(counted=COUNTED),
            partnerships=_partnership_cte("").replace("%s", "%(today)s"),
            partnerships_all=_partnership_cte("", partnerships="").replace("%s", "%(today)s"),
        )
        counts[kind] = _rows(cursor, sql, values)[0][0]
    return counts


def committees(cursor, today: date, target: Target) -> dict:
    count = _rows(cursor, "SELECT COUNT(*) FROM followup_committee", [])[0][0]
    rows = _rows(
        cursor,
        f"""SELECT c.id, c.name_fr,
          (SELECT COUNT(*) FROM followup_committee_agreements ca WHERE ca.committee_id = c.id),
          (SELECT COUNT(*) FROM followup_meeting m WHERE m.committee_id = c.id),
          (SELECT COUNT(*) FROM followup_decision d WHERE d.committee_id = c.id
             AND d.status IN ('open', 'in_progress')),
          (SELECT COUNT(*) FROM followup_decision d WHERE d.committee_id = c.id
             AND d.status IN ('open', 'in_progress') AND d.due_on < %s)
        FROM followup_committee c LEFT JOIN territory_province pr ON pr.id = c.province_id
        LEFT JOIN territory_region r ON r.id = c.region_id
        ORDER BY pr.code NULLS FIRST, r.code NULLS FIRST, c.name_fr, c.id LIMIT {PAGE}""",
        [today],
    )
    return {"count": count, "rows": rows}


def agreement_detail(cursor, today: date, target: Target) -> dict:
    """The agreement's figures, its partners' figures, schedule, transfers and projects."""
    pk = target.agreement_id
    row = agreement_rows(cursor, today, "SELECT %s AS id", [pk], order="a.id", limit=1)
    partner_cte = _partnership_cte("", partnerships="WHERE p.agreement_id = %s", counted_only=False)
    partnerships = _rows(cursor, f"WITH {partner_cte} SELECT * FROM figures ORDER BY id", [pk, today])
    schedule = _rows(
        cursor,
        "SELECT s.* FROM agreements_scheduledcontribution s JOIN agreements_partnership p"
        " ON p.id = s.partnership_id WHERE p.agreement_id = %s ORDER BY s.due_on, s.id",
        [pk],
    )
    transfers = _rows(
        cursor,
        "SELECT t.* FROM agreements_transfer t JOIN agreements_partnership p ON p.id = t.partnership_id"
        " WHERE p.agreement_id = %s ORDER BY t.transferred_on DESC, t.id DESC",
        [pk],
    )
    projects = _rows(cursor, "SELECT * FROM projects_project WHERE agreement_id = %s ORDER BY id", [pk])
    return {"row": row, "partnerships": partnerships, "schedule": schedule, "transfers": transfers,
            "projects": projects}  # fmt: skip


def project_detail(cursor, today: date, target: Target) -> dict:
    pk = target.project_id
    one = "SELECT * FROM {table} WHERE project_id = %s ORDER BY id"
    return {
        "project": _rows(cursor, "SELECT * FROM projects_project WHERE id = %s", [pk]),
        "milestones": _rows(cursor, one.format(table="projects_milestone"), [pk]),
        "updates": _rows(cursor, one.format(table="projects_progressupdate"), [pk]),
        "fundings": _rows(cursor, one.format(table="projects_projectfunding"), [pk]),
        "contracts": _rows(
            cursor,
            "SELECT c.id, c.amount, SUM(CASE WHEN pay.cancelled_at IS NULL THEN pay.amount END)"
            " FROM projects_contract c LEFT JOIN projects_payment pay ON pay.contract_id = c.id"
            " WHERE c.project_id = %s GROUP BY c.id, c.amount ORDER BY c.id",
            [pk],
        ),
    }


# The page each floor stands for: key → (path template, floor).
FLOORS = {
    "dashboard-ar": dashboard,
    "dashboard-fr": dashboard,
    "agreements": agreement_list,
    "agreements-arrears": agreement_list_by_arrears,
    "projects": project_list,
    "projects-late": project_list_late,
    "region": territory,
    "province": territory,
    "organisation": organisation,
    "alerts": alerts,
    "committees": committees,
    "agreement": agreement_detail,
    "project": project_detail,
}
