import pytest
from django.apps import apps
from django.contrib import admin

pytestmark = pytest.mark.django_db
DOMAIN_APPS = {"territory", "organisations", "accounts", "agreements", "projects", "followup"}


def domain_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in DOMAIN_APPS and not m.__name__.startswith("Historical")
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
