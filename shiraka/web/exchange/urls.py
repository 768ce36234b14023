"""URL patterns of the exchange pages: import (templates, upload, check, confirm) and exports."""

from django.urls import path

from . import exports, views

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/templates/<str:kind>.xlsx", views.import_template, name="import_template"),
    path("import/<uuid:job_id>/", views.import_job, name="import_job"),
    path("import/<uuid:job_id>/progress/", views.import_progress, name="import_progress"),
    path("import/<uuid:job_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("export/<str:kind>/", exports.export_list, name="export"),
    path("export/transfers/<str:reference>/", exports.export_transfers, name="export_transfers"),
    path("export/commitments/<int:pk>/", exports.export_commitments, name="export_commitments"),
]
