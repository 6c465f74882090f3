"""A form renderer for the event change page that writes the plain widgets in Python.

The 2014 page has about 450 widgets, labels and error lists; through the template engine
they took most of its render time. This renderer produces the same HTML as Django's own
templates for inputs, text areas, selects, options, radio buttons, labels and error lists,
and hands every other template to the template engine as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
INPUTS = {f"{WIDGETS}{name}.html" for name in (
    "input", "text", "number", "hidden", "email", "url", "password", "date", "datetime", "time", "search", "tel",
    "checkbox")}
OPTIONS = {f"{WIDGETS}radio_option.html", f"{WIDGETS}checkbox_option.html", f"{WIDGETS}input_option.html"}
ERRORS = {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}


def text(value):
    """What `{{ value|stringformat:'s' }}` prints: the value as text, always escaped."""
    return escape("%s" % (value,))


def attributes(attrs):
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{text(value)}"')
        for name, value in attrs.items() if value is not False
    )


def input_tag(widget):
    value = "" if widget["value"] is None else f' value="{text(widget["value"])}"'
    return f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}{attributes(widget["attrs"])}>'


class FastRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        html = self.render_plain(template_name, context)
        if html is None:
            return super().render(template_name, context, request)
        return mark_safe(html)

    def render_plain(self, template_name, context):
        widget = context.get("widget")
        if template_name in INPUTS:
            return input_tag(widget)
        if template_name in OPTIONS:
            if not widget.get("wrap_label"):
                return input_tag(widget)
            label_for = f' for="{conditional_escape(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
            return f"<label{label_for}>{input_tag(widget)} {conditional_escape(widget['label'])}</label>"
        if template_name == f"{WIDGETS}textarea.html":
            value = conditional_escape(widget["value"]) if widget["value"] else ""
            return f'<textarea name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>\n{value}</textarea>'
        if template_name == f"{WIDGETS}select.html":
            parts = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
            for group_name, choices, _ in widget["optgroups"]:
                if group_name:
                    parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
                parts += ["\n  " + self.render(option["template_name"], {"widget": option}) for option in choices]
                if group_name:
                    parts.append("\n  </optgroup>")
            parts.append("\n</select>")
            return "".join(parts)
        if template_name == f"{WIDGETS}select_option.html":
            return (f'<option value="{text(widget["value"])}"{attributes(widget["attrs"])}>'
                    f'{conditional_escape(widget["label"])}</option>')
        if template_name == "django/forms/label.html":
            label = conditional_escape(context["label"])
            if not context["use_tag"]:
                return label
            tag = context["tag"]
            return f"<{tag}{attributes(context['attrs'])}>{label}</{tag}>"
        if template_name in ERRORS:
            errors = context["errors"]
            if not errors:
                return ""
            field_id = getattr(errors, "field_id", None)
            ident = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
            items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
            return f'<ul class="{conditional_escape(context["error_class"])}"{ident}>{items}</ul>'
        return None


FAST = FastRenderer()
