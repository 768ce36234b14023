"""The upload form of the import page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shiraka.web.kit.forms import ShirakaForm


class ImportUploadForm(ShirakaForm):
    file = forms.FileField(
        label=_("Workbook (.xlsx) or CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
