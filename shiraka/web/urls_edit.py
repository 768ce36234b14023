"""URL patterns of the edit pages."""

urlpatterns: list = []
