"""The forms both sides use (the styled base, the applicant, a reason, supplement uploads) and the
plumbing that shows a service's errors on a form."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.accounts import identity
from motcua.accounts.services import IDENTIFIER_MESSAGES
from motcua.core.errors import ServiceError


class StyledForm(forms.Form):
    """Bootstrap classes and the ARIA attributes that tie an input to its help and its errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._styled: set[str] = set()
        self.style_fields()

    def style_fields(self) -> None:
        """Call again after adding fields."""
        for name, f in self.fields.items():
            widget = f.widget
            if name in self._styled:
                continue
            self._styled.add(name)
            css = widget.attrs.get("class", "")
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs["class"] = f"{css} form-check-input".strip()
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = f"{css} form-select".strip()
            else:
                widget.attrs["class"] = f"{css} form-control".strip()
            if f.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid()

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                field_id = self[name].auto_id
                described = attrs.get("aria-describedby", "")
                if f"{field_id}_error" not in described:
                    attrs["aria-describedby"] = f"{described} {field_id}_error".strip()


def set_choices(form: forms.Form, name: str, choices: Any) -> None:
    """Give a choice field of ``form`` its choices, known only when the form is made."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    field.choices = choices


def show_service_error(form: StyledForm, exc: ServiceError, fields: dict[str, str] | None = None) -> None:
    """Put a service's error on the form: field errors next to their input, the rest on top.

    ``fields`` maps the service's field names (``applicant.id_number``) to the form's."""
    mapping = fields or {}
    placed = False
    for name, messages in exc.fields.items():
        target = mapping.get(name, name.removeprefix("applicant."))
        for message in messages:
            if target in form.fields:
                form.add_error(target, message)
            else:
                form.add_error(None, message)
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))
    form.mark_invalid()


PHONE = re.compile(r"^\+?\d{8,15}$")


def check_id_number(kind: str, value: str) -> None:
    """The same identifier check the dossier service makes, early, so the error sits by its field."""
    try:
        identity.check_applicant(kind, value)
    except identity.InvalidIdentifier as exc:
        raise ValidationError(str(IDENTIFIER_MESSAGES[exc.reason])) from exc


class ApplicantForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Applying as"),
        choices=[("individual", _("An individual")), ("organization", _("An organisation"))],
        widget=forms.RadioSelect,
        initial="individual",
    )
    full_name = forms.CharField(label=_("Full name (or organisation name)"), max_length=200)
    id_number = forms.CharField(
        label=_("Personal ID number (or tax code)"),
        max_length=14,
        help_text=_("12 digits on your citizen ID card; an organisation gives its tax code."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(self, *args: Any, organisations: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not organisations:
            set_choices(self, "kind", [("individual", _("An individual"))])

    def clean_id_number(self) -> str:
        return self.cleaned_data["id_number"].strip()

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].replace(" ", "").replace(".", "")
        if phone and not PHONE.match(phone):
            raise ValidationError(_("Enter 8 to 15 digits, for example 0905123456."))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("id_number"):
            try:
                check_id_number(data.get("kind", "individual"), data["id_number"])
            except ValidationError as exc:
                self.add_error("id_number", exc)
        return data


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


# What the files service takes (files/sniff.py reads the bytes; a JPEG may also end in .jpeg).
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"


def upload_field(label: Any, *, lead: Any = "", required: bool = False) -> forms.FileField:
    """A file input that says which files are taken, up to the limit in the settings, and carries the
    limit and the server's own message for static/motcua/forms.js, which refuses a larger file before
    it is sent (the files service checks again). ``lead`` is a sentence put before that help."""
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    mb = limit // (1024 * 1024)
    kinds = _("PDF, JPEG, PNG, DOCX or XLSX, up to %(mb)s MB.") % {"mb": mb}
    return forms.FileField(
        label=label,
        required=required,
        help_text=f"{lead} {kinds}" if lead else kinds,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ACCEPT,
                "data-max-bytes": str(limit),
                "data-too-large": _("The file is larger than %(mb)s MB.") % {"mb": mb},
            }
        ),
    )


class SupplementForm(StyledForm):
    """One upload per item asked for; nothing else."""

    def __init__(
        self, *args: Any, items: list[tuple[str, str]], required: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.required = required
        for i, (_code, name) in enumerate(items):
            self.fields[f"item_{i}"] = upload_field(name)
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.required:
            for i in range(len(self.items)):
                if not data.get(f"item_{i}"):
                    self.add_error(f"item_{i}", _("Attach this document."))
        return data
