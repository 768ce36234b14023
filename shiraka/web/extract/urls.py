"""URL patterns of the extract pages: a new agreement from a press text."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("agreements/new-from-text/", views.extract_start, name="extract"),
    path("agreements/new-from-text/<str:token>/", views.extract_review, name="extract_review"),
]
