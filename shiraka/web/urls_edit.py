"""URL patterns of the edit pages.

`agreements/<reference>/` is the agreement page (web.urls), so the new-agreement form lives at
`new/agreement/` rather than `agreements/new/`, which would be read as a reference."""

from django.urls import path

from . import views_edit as v

urlpatterns = [
    path("new/agreement/", v.agreement_create, name="agreement_create"),
    path("agreements/<str:reference>/edit/", v.agreement_edit, name="agreement_edit"),
    path("agreements/<str:reference>/status/", v.agreement_status, name="agreement_status"),
    path("agreements/<str:reference>/tools/", v.agreement_tools, name="agreement_tools"),
    path("agreements/<str:reference>/signatories/add/", v.signatory_add, name="signatory_add"),
    path("agreements/<str:reference>/partners/add/", v.partnership_add, name="partnership_add"),
    path("agreements/<str:reference>/projects/add/", v.project_add, name="project_add"),
    path("partnerships/<int:pk>/edit/", v.partnership_edit, name="partnership_edit"),
    path("partnerships/<int:pk>/schedule/add/", v.contribution_add, name="contribution_add"),
    path("partnerships/<int:pk>/transfers/add/", v.transfer_add, name="transfer_add"),
    path("projects/<str:reference>/manage/", v.project_manage, name="project_manage"),
    path("projects/<str:reference>/edit/", v.project_edit, name="project_edit"),
    path("projects/<str:reference>/status/", v.project_status, name="project_status"),
    path("projects/<str:reference>/funding/add/", v.funding_add, name="funding_add"),
    path("projects/<str:reference>/milestones/add/", v.milestone_add, name="milestone_add"),
    path("projects/<str:reference>/progress/add/", v.progress_add, name="progress_add"),
    path("projects/<str:reference>/contracts/add/", v.contract_add, name="contract_add"),
    path("milestones/<int:pk>/achieve/", v.milestone_achieve, name="milestone_achieve"),
    path("contracts/<int:pk>/payments/add/", v.payment_add, name="payment_add"),
    path("communes/options/", v.commune_options, name="commune_options"),
]
