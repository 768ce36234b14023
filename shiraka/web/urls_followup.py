"""URL patterns of the followup pages."""

urlpatterns: list = []
