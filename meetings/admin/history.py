"""The admin's side of the history: a reason for every save, a History view, revert, recent changes.

`RecordedChangeAdmin` goes first in the bases of every ModelAdmin of the record:

    class MeetingAdmin(RecordedChangeAdmin, admin.ModelAdmin): ...

A ModelAdmin that overrides get_form, get_fieldsets, changeform_view, save_form,
delete_view, get_actions, get_urls or history_view calls super() there. A deleted record
keeps its History (reached from Recent changes), from which it can be restored.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html

from meetings.history import ChangeRow, history_of, readable, recorded, revert

REASON = "change_reason"
REASON_REQUIRED = "Give a short reason for this change: it is recorded with it, and readers see it with the correction."


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Reason for this change", max_length=200, strip=True,
            help_text="A few words, shown to readers with the correction, e.g. “Chad voted in favour (S/PV.7353, p. 2)”.",
            error_messages={"required": REASON_REQUIRED}, widget=forms.TextInput(attrs={"size": 80}), **kwargs,
        )


class RecordedChangeAdmin:
    """Every save asks why; each record has its History, with field-by-field differences and revert."""

    delete_confirmation_template = "history/delete_confirmation.html"

    def get_form(self, request, obj=None, **kwargs):
        base = kwargs.get("form", self.form)
        kwargs["form"] = type(base.__name__, (base,), {REASON: ReasonField()})
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not any(REASON in admin.utils.flatten(options.get("fields", ())) for _name, options in fieldsets):
            fieldsets = [*fieldsets, ("Why", {"fields": [REASON]})]
        return fieldsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with recorded(reason="", user=request.user if request.user.is_authenticated else None):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_form(self, request, form, change):
        # The form is valid and nothing is written yet: every write from here on carries the reason.
        recorded(reason=form.cleaned_data[REASON])
        return super().save_form(request, form, change)

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {**(extra_context or {}), "reason_field": REASON}
        if request.method == "POST":
            reason = request.POST.get(REASON, "").strip()[:200]
            if not reason:
                messages.error(request, REASON_REQUIRED)
                request.POST = QueryDict()  # Shows the confirmation again, with the message.
                return super().delete_view(request, object_id, extra_context)
            with recorded(reason=reason, user=request.user):
                return super().delete_view(request, object_id, extra_context)
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # Deleting goes through the confirmation page, which asks why.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/history/revert/", self.admin_site.admin_view(self.revert_view),
                 name="%s_%s_revert" % info),
            *super().get_urls(),
        ]

    def recorded_object(self, request, object_id):
        """The record, or for a deleted one a stand-in with its id, if the history knows it; else None."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None and str(object_id).isdigit() and ChangeRow.objects.filter(
                root_model=self.opts.label_lower, root_id=int(object_id)).exists():
            obj = self.model(pk=int(object_id))
            obj.deleted = True
        return obj

    def history_view(self, request, object_id, extra_context=None):
        obj = self.recorded_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        changes = readable(history_of(obj))
        deleted = getattr(obj, "deleted", False)
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: deleted {self.opts.verbose_name} #{obj.pk}" if deleted else f"History: {obj}",
            "deleted": deleted,
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "changes": changes,
            "can_revert": self.has_change_permission(request, obj),
            "reason_field": REASON,
            "revert_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_revert", args=[obj.pk]),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "history/object_history.html", context)

    def revert_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.recorded_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        history = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk])
        reason = request.POST.get(REASON, "").strip()[:200]
        version = next((c for c in history_of(obj) if c.key == request.POST.get("version")), None)
        if version is None:
            messages.error(request, "That version is not in this record's history; pick one from the list.")
        elif not reason:
            messages.error(request, REASON_REQUIRED)
        else:
            try:
                revert(obj, version.when, reason=reason, user=request.user)
            except DatabaseError as error:
                messages.error(request, f"The record could not be put back as it was: {str(error).splitlines()[0]}")
            else:
                messages.success(request, f"Reverted to the version of {version.when:%d %B %Y, %H:%M:%S} UTC.")
        return HttpResponseRedirect(history)


def admin_url(model_label, pk, view="change"):
    app, model = model_label.split(".")
    try:
        return reverse(f"admin:{app}_{model}_{view}", args=[pk])
    except NoReverseMatch:
        return None


@admin.register(ChangeRow)
class RecentChangesAdmin(admin.ModelAdmin):
    """Every recorded write across the record, newest first; filter by editor, record and date."""

    list_display = ["created_at", "editor", "operation", "record", "what", "reason"]
    list_filter = ["editor", "model", "label"]
    date_hierarchy = "created_at"
    search_fields = ["reason"]
    list_per_page = 50
    list_display_links = None

    def get_queryset(self, request):
        # A link between a source and a term is listed once, with the source.
        return super().get_queryset(request).filter(primary=True)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "Recent changes to the record", **(extra_context or {})}
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl")
        if cl is not None:
            # The differences of the rows shown, with related rows named, in a few queries.
            from meetings.history import Change

            readable([Change("", None, "", "", list(cl.result_list))])
        return response

    @admin.display(description="operation", ordering="label")
    def operation(self, row):
        return row.get_label_display()

    @admin.display(description="record")
    def record(self, row):
        link = admin_url(row.root_model, row.root_id, "history")
        root = row.root_model.split(".")[1]
        text = row.model_label if row.model == row.root_model else f"{row.model_label} of {root} #{row.root_id}"
        return format_html('<a href="{}">{} #{}</a>', link, text, row.obj_id) if link else f"{text} #{row.obj_id}"

    @admin.display(description="what changed")
    def what(self, row):
        return "; ".join(f"{name}: {before} → {after}" for name, before, after in getattr(row, "fields", []))
