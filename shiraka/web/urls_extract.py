"""URL patterns of the extract pages."""

urlpatterns: list = []
