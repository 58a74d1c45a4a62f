"""The citizen portal's own forms: the documents of an online submission, the look-up and the rating."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.text import fold
from motcua.web.forms import StyledForm, set_choices, upload_field


class DocumentsForm(StyledForm):
    """One upload per required document, and beside it the matching documents of the citizen's data
    warehouse (``offers``, by document code), so that nothing the State holds is uploaded twice.
    A document already attached to the draft may be kept; which ones are missing is known only once
    the uploads are stored, so the view adds those errors."""

    def __init__(
        self,
        *args: Any,
        documents: list[Any],
        kept: dict[str, str],
        offers: dict[str, list[Any]] | None = None,
        chosen: dict[str, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.documents = documents
        self.kept = kept
        self.offers = offers or {}
        for i, doc in enumerate(documents):
            keeping = kept.get(doc.code)
            lead = (
                _("Already attached: %(name)s. Choose a file only to replace it.") % {"name": keeping}
                if keeping
                else ""
            )
            self.fields[f"doc_{i}"] = upload_field(doc.name, lead=lead)
            if doc.code in self.offers:
                self.fields[f"use_{i}"] = forms.ChoiceField(
                    label=_("Use a document you already have"),
                    choices=[("", _("No, I attach a file"))]
                    + [(str(w.pk), warehouse_label(w)) for w in self.offers[doc.code]],
                    required=False,
                    initial=str((chosen or {}).get(doc.code, "")),
                    widget=forms.RadioSelect(attrs={"data-warehouse-for": f"id_doc_{i}"}),
                )
        self.style_fields()

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (doc, self[f"doc_{i}"], self[f"use_{i}"] if f"use_{i}" in self.fields else None)
            for i, doc in enumerate(self.documents)
        ]


def warehouse_label(doc: Any) -> str:
    """How a warehouse document is offered: its name, where it came from and when."""
    origin = _("result of dossier %(code)s") if doc.source == "result" else _("sent with dossier %(code)s")
    when = timezone.localtime(doc.issued_at).strftime("%d/%m/%Y")
    return f"{doc.name} — {origin % {'code': doc.dossier.code or '—'}}, {when}"


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


_UNIT_TYPES = ("uy ban nhan dan ", "phuong ", "xa ", "thi tran ", "dac khu ")


def place_key(agency: Any) -> str:
    """What an address says of the place an agency serves: "Ủy ban nhân dân phường Buôn Ma Thuột" →
    "buon ma thuot" (the name of its administrative unit when it has one, without the unit's kind)."""
    unit = (
        agency.admin_unit.name
        if getattr(agency, "admin_unit_id", None) and agency.admin_unit
        else agency.name
    )
    key = fold(unit)
    changed = True
    while changed:
        changed = False
        for prefix in _UNIT_TYPES:
            if key.startswith(prefix):
                key, changed = key.removeprefix(prefix), True
    return key


def place_from_address(address: str, agencies: list[Any]) -> Any | None:
    """The agency whose place the address names (the longest name found wins: "Hòa Phú" inside
    "Hòa Phú Đông" is not a match for the longer one)."""
    text = f" {fold(address)} "
    found = [a for a in agencies if (key := place_key(a)) and f" {key} " in text.replace(",", " ")]
    return max(found, key=lambda a: len(place_key(a)), default=None)


class PlaceForm(StyledForm):
    """Which agency settles the dossier, when several do (each commune settles birth registration)."""

    resolving_agency_code = forms.ChoiceField(
        label=_("Where your dossier is settled"),
        help_text=_("The commune or ward (or agency) that settles this procedure; chosen from your address."),
    )

    def __init__(self, *args: Any, agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "resolving_agency_code", [(a.code, a.name) for a in agencies])
        # For the page's script, which follows the address as it is typed (static/motcua/place.js).
        self.fields["resolving_agency_code"].widget.attrs["data-places"] = "|".join(
            f"{a.code}={place_key(a)}" for a in agencies
        )


class ChannelsForm(StyledForm):
    """How the citizen wants to hear about their dossiers."""

    sms = forms.BooleanField(label=_("SMS to my mobile number"), required=False)
    zalo = forms.BooleanField(label=_("Zalo message to my mobile number"), required=False)
    email = forms.BooleanField(label=_("E-mail"), required=False)


class VerifyForm(StyledForm):
    """A result file to check (the public verify page)."""

    file = forms.FileField(
        label=_("The result file (PDF)"),
        help_text=_("The PDF you received or downloaded. It is checked, not kept."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
