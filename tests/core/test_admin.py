from datetime import date as date_

import pytest
from django.apps import apps
from django.contrib import admin

pytestmark = pytest.mark.django_db
DOMAIN_APPS = {"territory", "organisations", "accounts", "agreements", "projects", "followup"}


def domain_models():
    # Rows computed from others (the kept alerts, as the kept figures) are not records anyone keeps.
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in DOMAIN_APPS
        and not m.__name__.startswith("Historical")
        and not getattr(m, "derived_from_rows", False)
    ]


def test_every_domain_model_is_in_the_admin_and_searchable():
    for model in domain_models():
        assert model in admin.site._registry, model
        assert admin.site._registry[model].search_fields, model


def test_every_admin_list_and_search_answers(admin_client, seeds):
    for model in domain_models():
        url = f"/fr/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert admin_client.get(url).status_code == 200, url
        assert admin_client.get(url, {"q": "كلميم"}).status_code == 200, url


WRITABLE_IN_THE_ADMIN: set[str] = set()  # roles and scopes are given on the Users pages


def test_the_admin_writes_no_domain_record(admin_client, seeds):
    """The admin skips every rule of the services: domain records are read only there."""
    from shiraka.agreements.models import Agreement

    for model in domain_models():
        if model._meta.model_name in WRITABLE_IN_THE_ADMIN:
            continue
        base = f"/fr/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert admin_client.get(f"{base}add/").status_code == 403, base
        record = model.objects.first()
        if record is not None:
            assert admin_client.post(f"{base}{record.pk}/change/", {}).status_code == 403, base
            assert admin_client.post(f"{base}{record.pk}/delete/", {"post": "yes"}).status_code == 403, base
            assert model.objects.filter(pk=record.pk).exists()
    assert Agreement.objects.count() == 3


def test_a_transfer_above_what_is_owed_is_refused_by_every_path(admin_client, seeds):
    """A 500 M transfer to a partner owing a few million: not through the admin, the form or the service."""
    from datetime import date
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from shiraka.agreements import services
    from shiraka.agreements.models import Partnership, Transfer

    partnership = Partnership.objects.exclude(committed_amount=None).order_by("committed_amount").first()
    before = Transfer.objects.count()
    data = {"partnership": partnership.pk, "transferred_on": "2025-03-01", "amount": "500000000"}
    assert admin_client.post("/fr/admin/agreements/transfer/add/", data).status_code == 403
    form = admin_client.post(
        f"/fr/partnerships/{partnership.pk}/transfers/add/",
        {"transferred_on": "2025-03-01", "amount": "500000000"},
    )
    assert form.status_code == 200 and "encore" in form.content.decode()
    with pytest.raises(ValidationError):
        services.transfer_record(
            partnership=partnership, transferred_on=date(2025, 3, 1), amount=Decimal("500000000")
        )
    assert Transfer.objects.count() == before


def test_money_rows_are_named_as_people_read_them(seeds):
    from django.utils import translation

    from shiraka.agreements import services
    from shiraka.agreements.models import Partnership

    partnership = Partnership.objects.exclude(committed_amount=None).order_by("pk").first()
    transfer = services.transfer_record(
        partnership=partnership, transferred_on=date_(2025, 3, 1), amount="5000000"
    )
    with translation.override("ar"):
        assert str(transfer) == f"تحويل 5.000.000,00\u00a0درهم — 2025-03-01 — {partnership.organisation}"
    with translation.override("fr"):
        assert str(transfer).startswith("Virement 5\u00a0000\u00a0000,00\u00a0DH — 2025-03-01 — ")
