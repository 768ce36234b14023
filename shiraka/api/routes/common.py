"""What every route module shares: how a read is declared (open to anonymous callers, its refusals
documented) and the bounded identifier of a record in a path."""

from ninja import Path

from shiraka.core.querying import MAX_ID

from ..auth import OPTIONAL_TOKEN
from ..schemas import answers, page_schema

RecordId = Path(..., ge=1, le=MAX_ID)


def read(router, path: str, schema, *, many: bool = False):
    """`router.get` for a detail (`schema`) or a bounded page of them (`many`)."""
    return router.get(
        path, response=answers(page_schema(schema) if many else schema), openapi_extra=OPTIONAL_TOKEN
    )
