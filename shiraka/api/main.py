"""The API object: version 1, its routers, its error bodies, and the interactive documentation served
from django-ninja's own static files (no CDN)."""

from ninja import NinjaAPI, Swagger

from . import errors
from .routes import agreements, followup, money, portfolio, projects, reference

api = NinjaAPI(
    title="Shiraka API",
    version="1",
    description=(
        "Morocco's public-health partnership agreements: territories, partners, agreements, money, "
        "projects, committees and alerts. Reads are open (anonymous callers read published records); "
        "writes need a personal token (Authorization: Bearer shk_…) created on the API tokens page, and "
        "act with its owner's role and scope. Amounts are decimal strings of dirhams. Error bodies: "
        '{"detail", "code", "errors"}, in the language of Accept-Language (Arabic by default).'
    ),
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": True}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
for module in (portfolio, reference, agreements, money, projects, followup):
    api.add_router("/", module.router)
