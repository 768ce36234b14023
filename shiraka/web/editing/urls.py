"""URL patterns of the edit pages.

`agreements/<reference>/` is the agreement page (web.pages), so the new-agreement form lives at
`new/agreement/` rather than `agreements/new/`, which would be read as a reference."""

from django.urls import path

from . import agreement_rows as ar
from . import agreements as a
from . import project_rows as rows
from . import projects as p

urlpatterns = [
    path("new/agreement/", a.agreement_create, name="agreement_create"),
    path("agreements/<str:reference>/edit/", a.agreement_edit, name="agreement_edit"),
    path("agreements/<str:reference>/status/", a.agreement_status, name="agreement_status"),
    path("agreements/<str:reference>/tools/", a.agreement_tools, name="agreement_tools"),
    path("agreements/<str:reference>/signatories/add/", a.signatory_add, name="signatory_add"),
    path("agreements/<str:reference>/partners/add/", a.partnership_add, name="partnership_add"),
    path("agreements/<str:reference>/projects/add/", p.project_add, name="project_add"),
    path("partnerships/<int:pk>/edit/", a.partnership_edit, name="partnership_edit"),
    path("partnerships/<int:pk>/schedule/add/", a.contribution_add, name="contribution_add"),
    path("partnerships/<int:pk>/transfers/add/", a.transfer_add, name="transfer_add"),
    path("projects/<str:reference>/manage/", p.project_manage, name="project_manage"),
    path("projects/<str:reference>/edit/", p.project_edit, name="project_edit"),
    path("projects/<str:reference>/status/", p.project_status, name="project_status"),
    path("projects/<str:reference>/funding/add/", p.funding_add, name="funding_add"),
    path("projects/<str:reference>/milestones/add/", p.milestone_add, name="milestone_add"),
    path("projects/<str:reference>/progress/add/", p.progress_add, name="progress_add"),
    path("projects/<str:reference>/contracts/add/", p.contract_add, name="contract_add"),
    path("milestones/<int:pk>/achieve/", p.milestone_achieve, name="milestone_achieve"),
    path("contracts/<int:pk>/payments/add/", p.payment_add, name="payment_add"),
    path("transfers/<int:pk>/cancel/", a.transfer_cancel, name="transfer_cancel"),
    path("signatories/<int:pk>/edit/", ar.signatory_edit, name="signatory_edit"),
    path("signatories/<int:pk>/remove/", ar.signatory_remove, name="signatory_remove"),
    path("attendees/<int:pk>/edit/", ar.attendee_edit, name="attendee_edit"),
    path("attendees/<int:pk>/remove/", ar.attendee_remove, name="attendee_remove"),
    path("partnerships/<int:pk>/remove/", ar.partnership_remove, name="partnership_remove"),
    path("schedule/<int:pk>/edit/", ar.contribution_edit, name="contribution_edit"),
    path("schedule/<int:pk>/remove/", ar.contribution_remove, name="contribution_remove"),
    path("payments/<int:pk>/cancel/", p.payment_cancel, name="payment_cancel"),
    path("funding/<int:pk>/edit/", rows.funding_edit, name="funding_edit"),
    path("funding/<int:pk>/remove/", rows.funding_remove, name="funding_remove"),
    path("milestones/<int:pk>/edit/", rows.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/remove/", rows.milestone_remove, name="milestone_remove"),
    path("progress/<int:pk>/edit/", rows.progress_edit, name="progress_edit"),
    path("progress/<int:pk>/remove/", rows.progress_remove, name="progress_remove"),
    path("photos/<int:pk>/remove/", rows.photo_remove, name="photo_remove"),
    path("contracts/<int:pk>/edit/", rows.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/remove/", rows.contract_remove, name="contract_remove"),
    path("communes/options/", p.commune_options, name="commune_options"),
]
