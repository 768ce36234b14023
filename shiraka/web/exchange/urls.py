"""URL patterns of the exchange pages: import (templates, upload, check, confirm) and exports."""

from django.urls import include, path

from . import exports, views

# The pages of one import, under import/<job_id>/.
job_patterns = [
    path("", views.import_job, name="import_job"),
    path("progress/", views.import_progress, name="import_progress"),
    path("confirm/", views.import_confirm, name="import_confirm"),
]

export_patterns = [
    path("<str:kind>/", exports.export_list, name="export"),
    path("transfers/<str:reference>/", exports.export_transfers, name="export_transfers"),
    path("commitments/<int:pk>/", exports.export_commitments, name="export_commitments"),
]

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/templates/<str:kind>.xlsx", views.import_template, name="import_template"),
    path("import/<uuid:job_id>/", include(job_patterns)),
    path("export/", include(export_patterns)),
]
