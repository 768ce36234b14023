from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from shiraka.web.kit.params import LoginForm

from .people.password import ForgottenPasswordView, notice_view

app_name = "web"
# One URL module per area. The edit, extraction and follow-up areas come first: their fixed paths
# (e.g. agreements/new-from-text/) must win over the reading pages' detail patterns.
urlpatterns = [
    path("", include("shiraka.web.editing.urls")),
    path("", include("shiraka.web.extract.urls")),
    path("", include("shiraka.web.followup.urls")),
    path("", include("shiraka.web.people.urls")),
    path("", include("shiraka.web.exchange.urls")),
    path("", include("shiraka.web.portal.urls")),
    path("", include("shiraka.web.pages.urls")),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The first-login link of a new user (shiraka.accounts.services.first_login_link): choose a password.
    # Templates of our own names: django.contrib.admin ships registration/password_reset_*.html too.
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_reset_choose.html",
            success_url=reverse_lazy("web:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    # A forgotten password: a link by e-mail to the same confirmation page; the same answer whether
    # or not the address has an account; a few e-mails per address and client per hour at most.
    path(
        "password/forgotten/",
        ForgottenPasswordView.as_view(
            template_name="registration/password_forgotten.html",
            email_template_name="registration/password_forgotten_email.txt",
            subject_template_name="registration/password_forgotten_subject.txt",
            success_url=reverse_lazy("web:password_forgotten_sent"),
        ),
        name="password_forgotten",
    ),
    path(
        "password/forgotten/sent/",
        notice_view(
            auth_views.PasswordResetDoneView,
            _("Link sent"),
            _(
                "If an active account has this address, a link to choose a new password has been sent to it. "
                "It can be used once, for a few days."
            ),
        ),
        name="password_forgotten_sent",
    ),
    path(
        "reset/done/",
        notice_view(
            auth_views.PasswordResetCompleteView,
            _("Password saved"),
            _("Your password is saved: you can now sign in."),
            login_is_next=True,
        ),
        name="password_reset_complete",
    ),
]
