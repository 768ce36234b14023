"""Forms of the people pages: a new user, a membership, activation, the first-login link. They check
types and sizes only; shiraka.accounts.services refuses what the rules forbid."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from shiraka.accounts.access import can_grant
from shiraka.accounts.models import Membership
from shiraka.agreements.models import Programme
from shiraka.territory.models import Region
from shiraka.web.kit.forms import ShirakaForm, initial_of, label
from shiraka.web.kit.pickers import organisation_field, province_field

User = get_user_model()


class MembershipForm(ShirakaForm):
    """Organisation, role and scope; the roles offered are those the signed-in user may grant."""

    layout = [
        (_("Role"), [("organisation", "col-md-6"), ("role", "col-md-6")]),
        (
            _("Scope"),
            [("region", "col-md-4"), ("province", "col-md-4"), ("programme", "col-md-4")],
        ),
    ]

    def __init__(self, *args, granted_by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = organisation_field(
            label_text=label(Membership, "organisation"), required=False
        )
        self.fields["role"] = forms.ChoiceField(
            label=label(Membership, "role"),
            choices=[
                (value, capfirst(text))
                for value, text in Membership.Role.choices
                if can_grant(granted_by, role=value) or value != Membership.Role.ADMINISTRATOR
            ],
        )
        self.fields["region"] = forms.ModelChoiceField(
            Region.objects.order_by("code"), required=False, label=label(Membership, "region")
        )
        self.fields["province"] = province_field(
            help_text=_("A secretariat follows the agreements of its province, or of its region.")
        )
        self.fields["programme"] = forms.ModelChoiceField(
            Programme.objects.order_by("code"), required=False, label=label(Membership, "programme")
        )

    @staticmethod
    def initial_for(membership: Membership) -> dict:
        return initial_of(membership, "organisation", "role", "region", "province", "programme")


class PersonForm(MembershipForm):
    """A new user: who it is, then its membership."""

    layout = [
        (
            _("User"),
            [
                ("username", "col-md-6"),
                ("email", "col-md-6"),
                ("first_name", "col-md-6"),
                ("last_name", "col-md-6"),
            ],
        ),
        *MembershipForm.layout,
    ]

    username = forms.CharField(
        label=capfirst(User._meta.get_field("username").verbose_name),
        max_length=150,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    first_name = forms.CharField(
        label=capfirst(User._meta.get_field("first_name").verbose_name), max_length=150, required=False
    )
    last_name = forms.CharField(
        label=capfirst(User._meta.get_field("last_name").verbose_name), max_length=150, required=False
    )
    email = forms.CharField(
        label=capfirst(User._meta.get_field("email").verbose_name),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "email"}),
    )


class ActiveForm(ShirakaForm):
    """Deactivate (0) or reactivate (1): the page offers the change from the user's current state."""

    active = forms.TypedChoiceField(
        choices=[("0", "0"), ("1", "1")], coerce=lambda value: value == "1", widget=forms.HiddenInput
    )


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or username"), required=False, max_length=150)
