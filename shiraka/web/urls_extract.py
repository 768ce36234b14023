"""URL patterns of the extract pages: a new agreement from a press text."""

from django.urls import path

from . import views_extract

urlpatterns: list = [
    path("agreements/new-from-text/", views_extract.extract_start, name="extract"),
    path("agreements/new-from-text/<str:token>/", views_extract.extract_review, name="extract_review"),
]
