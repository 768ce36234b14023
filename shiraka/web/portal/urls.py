"""URL patterns of the public portal: home, map, equity, open data and the boundaries file."""

from django.urls import path

from . import open_data, views

urlpatterns = [
    path("portal/", views.portal, name="portal"),
    path("map/", views.map_page, name="map"),
    path("equity/", views.equity, name="equity"),
    path("open-data/", open_data.open_data, name="open_data"),
    path("open-data/iati.xml", open_data.iati_file, name="open_data_iati"),
    path("map/provinces.geojson", views.provinces_geojson_file, name="provinces_geojson"),
]
