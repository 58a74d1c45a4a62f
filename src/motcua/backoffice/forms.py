"""One form per action of contract §5, and the counter-intake form."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts import identity
from motcua.accounts.services import IDENTIFIER_MESSAGES
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import CLOSING, Action
from motcua.integrations.population.ports import CitizenQuery, check_id_number
from motcua.web import pickers
from motcua.web.forms import ReasonForm, StyledForm, SupplementForm, set_choices, upload_field


class ReceiveForm(StyledForm):
    pass


class RequestSupplementForm(StyledForm):
    items = forms.MultipleChoiceField(
        label=_("Documents to add or correct"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other = forms.CharField(
        label=_("Other items"),
        required=False,
        max_length=4000,
        help_text=_("One item per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Reason, as the applicant will read it"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = [d.name for d in dossier.procedure_version.required_documents.all()]
        set_choices(self, "items", [(n, n) for n in names])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        other = [line.strip() for line in data.get("other", "").splitlines() if line.strip()]
        data["items"] = [*data.get("items", []), *other]  # what the command takes
        if not data["items"]:
            self.add_error("items", _("Tick at least one document, or name it under “Other items”."))
        return data


class ForwardForm(StyledForm):
    agency_code = forms.ChoiceField(label=_("To agency"), required=False)
    step = forms.ChoiceField(label=_("Step"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, dossier: Dossier, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if dossier.current_agency_id != dossier.resolving_agency_id:
            default = _("%(agency)s (the resolving agency)") % {"agency": dossier.resolving_agency.name}
        else:
            default = _("Stay at %(agency)s (next step)") % {"agency": dossier.current_agency.name}
        set_choices(self, "agency_code", [("", default), *pickers.agency_choices(agencies)])
        self.fields["agency_code"].widget.attrs.update(pickers.search_attrs())
        steps = [s.name for s in dossier.procedure_version.steps.all()]
        set_choices(self, "step", [("", _("— the agency's name —")), *((s, s) for s in steps)])


class RequestPaymentForm(StyledForm):
    amount_vnd = forms.IntegerField(label=_("Amount (VND)"), min_value=1, max_value=10**12)


class PayForm(StyledForm):
    amount_vnd = forms.IntegerField(label=_("Amount paid (VND)"), min_value=1, max_value=10**12)
    reference = forms.CharField(label=_("Receipt number"), required=False, max_length=200)


class ExtendForm(StyledForm):
    new_due_at = forms.DateTimeField(
        label=_("New due date and time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(
        label=_("Reason for the delay (printed on the apology letter)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResolveForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("approved", _("Approved — the result is issued")),
            ("rejected", _("Rejected — a written answer")),
        ],
        widget=forms.RadioSelect,
        initial="approved",
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Made here, not on the class, so that its help says the limit in force and the reader's language.
        self.fields["result_file"] = upload_field(
            _("Electronic result (optional)"),
            lead=_("The result as a PDF; with a signing service it is sent to your signing app to sign."),
        )
        self.style_fields()


class ReturnResultForm(StyledForm):
    method = forms.ChoiceField(
        label=_("How the result was handed over"),
        choices=[("counter", _("At the desk")), ("post", _("By post")), ("online", _("Online"))],
        widget=forms.RadioSelect,
        initial="counter",
    )


def form_for(
    action: Action, dossier: Dossier, data: Any = None, files: Any = None, **extra: Any
) -> StyledForm:
    """The form of ``action`` for ``dossier``, prefixed so that every form on the page has its own ids."""
    kwargs: dict[str, Any] = {"data": data, "files": files, "prefix": action.value}
    if action is Action.REQUEST_SUPPLEMENT:
        return RequestSupplementForm(dossier=dossier, **kwargs)
    if action is Action.SUPPLEMENT:
        return SupplementForm(items=extra.get("items", []), required=False, **kwargs)
    if action is Action.FORWARD:
        return ForwardForm(dossier=dossier, agencies=extra["agencies"], **kwargs)
    if action is Action.REQUEST_PAYMENT:
        return RequestPaymentForm(initial={"amount_vnd": dossier.procedure_version.fee_vnd or None}, **kwargs)
    if action is Action.PAY:
        return PayForm(initial={"amount_vnd": extra.get("amount_due")}, **kwargs)
    if action is Action.EXTEND:
        return ExtendForm(**kwargs)
    if action is Action.RESOLVE:
        return ResolveForm(**kwargs)
    if action is Action.RETURN_RESULT:
        return ReturnResultForm(**kwargs)
    if action in CLOSING:
        return ReasonForm(**kwargs)
    return ReceiveForm(**kwargs)


class IntakeForm(StyledForm):
    channel = forms.ChoiceField(
        label=_("Handed in"),
        choices=[("counter", _("At the desk")), ("post", _("By post"))],
        widget=forms.RadioSelect,
        initial="counter",
    )
    documents = forms.MultipleChoiceField(
        label=_("Documents received"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the documents the applicant handed in.")},
    )

    def __init__(self, *args: Any, required_documents: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "documents",
            [(d.code, f"{d.name} ({d.get_form_display()}, {d.count})") for d in required_documents],
        )


class PopulationLookupForm(StyledForm):
    """The desk's look-up in the National Population Database (prefix ``pop``, inside the intake form)."""

    id_number = forms.CharField(
        label=_("Personal ID number"),
        max_length=12,
        help_text=_("12 digits, or the 9 digits of an old ID card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    birth = forms.CharField(
        label=_("Date or year of birth"),
        max_length=10,
        help_text=_("dd/mm/yyyy, or only the year: yyyy."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_id_number(self) -> str:
        try:
            return check_id_number(self.cleaned_data["id_number"])
        except identity.InvalidIdentifier as exc:
            raise forms.ValidationError(IDENTIFIER_MESSAGES[exc.reason]) from exc

    def clean_birth(self) -> date | int:
        text = self.cleaned_data["birth"].strip()
        today = date.today()  # noqa: DTZ011 — a calendar date
        if re.fullmatch(r"\d{4}", text):
            if not 1900 <= int(text) <= today.year:
                raise forms.ValidationError(_("The date of birth is in the future, or before 1900."))
            return int(text)
        for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
            try:
                born = datetime.strptime(text, pattern).date()  # noqa: DTZ007 — a calendar date
            except ValueError:
                continue
            if not date(1900, 1, 1) <= born <= today:
                raise forms.ValidationError(_("The date of birth is in the future, or before 1900."))
            return born
        raise forms.ValidationError(_("Enter a date as dd/mm/yyyy, or a year as yyyy."))

    def query(self) -> CitizenQuery:
        born = self.cleaned_data["birth"]
        return CitizenQuery(
            id_number=self.cleaned_data["id_number"],
            full_name=self.cleaned_data["full_name"],
            birth_date=born if isinstance(born, date) else None,
            birth_year=born if isinstance(born, int) else None,
        )
