"""URL patterns of the people pages (users, their memberships and accounts)."""

from django.urls import include, path

from . import tokens, views

# The pages of one person, under people/<pk>/.
person_patterns = [
    path("", views.person, name="person"),
    path("active/", views.person_active, name="person_active"),
    path("first-login/", views.person_first_login, name="person_first_login"),
]

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<int:pk>/", include(person_patterns)),
    path("account/api-tokens/", tokens.api_tokens, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", tokens.api_token_revoke, name="api_token_revoke"),
]
