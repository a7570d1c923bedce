"""The export form: which columns, which format."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eventhub.dashboard.exports import Dataset

FORMATS = [("csv", _("CSV (Excel, LibreOffice)")), ("xlsx", _("Excel workbook (XLSX)"))]


class ExportForm(forms.Form):
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one column."),
            "invalid_choice": _("Choose columns from the list."),
        },
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=FORMATS,
        initial="csv",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a format."),
            "invalid_choice": _("Choose CSV or XLSX."),
        },
    )

    def __init__(self, *args, dataset: Dataset, **kwargs):
        super().__init__(*args, **kwargs)
        self.dataset = dataset
        self.fields["columns"].choices = dataset.column_choices()
        self.fields["columns"].initial = [c.key for c in dataset.columns if c.default]
        self.auto_id = f"id_{dataset.key}_%s"
