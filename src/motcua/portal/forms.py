"""The citizen portal's own forms: the documents of an online submission, the look-up and the rating."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.web.forms import StyledForm, upload_field


class DocumentsForm(StyledForm):
    """One upload per required document. A document already attached to the draft may be kept;
    which ones are missing is known only once the uploads are stored, so the view adds those errors."""

    def __init__(self, *args: Any, documents: list[Any], kept: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.documents = documents
        self.kept = kept
        for i, doc in enumerate(documents):
            keeping = kept.get(doc.code)
            lead = (
                _("Already attached: %(name)s. Choose a file only to replace it.") % {"name": keeping}
                if keeping
                else ""
            )
            self.fields[f"doc_{i}"] = upload_field(doc.name, lead=lead)
        self.style_fields()

    def rows(self) -> list[tuple[Any, Any]]:
        return [(doc, self[f"doc_{i}"]) for i, doc in enumerate(self.documents)]


class LookupForm(StyledForm):
    code = forms.CharField(
        label=_("Dossier code"),
        max_length=60,
        help_text=_("As printed on your receipt, e.g. H15.TTPV-260312-0001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    id_number = forms.CharField(
        label=_("Personal ID number of the applicant"),
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_id_number(self) -> str:
        return self.cleaned_data["id_number"].strip()


class RatingForm(LookupForm):
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied with how your dossier was handled?"),
        choices=[("yes", _("Satisfied")), ("no", _("Not satisfied"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
