"""What every route module shares: how a read is declared (open to anonymous callers, its refusals
documented), the bounded identifier of a record in a path, and the course of a plain PATCH."""

from ninja import Path

from shiraka.core.querying import MAX_ID

from ..auth import OPTIONAL_TOKEN
from ..inputs import changes
from ..schemas import answers, page_schema

RecordId = Path(..., ge=1, le=MAX_ID)


def read(router, path: str, schema, *, many: bool = False):
    """`router.get` for a detail (`schema`) or a bounded page of them (`many`)."""
    return router.get(
        path, response=answers(page_schema(schema) if many else schema), openapi_extra=OPTIONAL_TOKEN
    )


def patch(request, payload, access, update, pk: int):
    """The record `access` lets the caller write, changed by `update` with the fields the PATCH sent,
    refused (409) if it was saved since the version read."""
    user = request.auth
    record = access(user, pk)
    values, version = changes(payload)
    return update(record, expected_version=version, by=user, **values)
