from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Renders every form and field in the Scottish Government Design System's markup."""

    form_template_name = "frontend/forms/form.html"
    field_template_name = "frontend/forms/field.html"
