from django import forms


class AccessibleFormMixin:
    """Ties each field in error to its message (aria-invalid, aria-describedby) and puts the
    focus on the first one, so a screen-reader or keyboard user lands where to correct
    (RGAA 11.10, 11.11). templates/includes/form.html renders the ids used here."""

    def full_clean(self):
        super().full_clean()
        in_error = [name for name in self.errors if name in self.fields]
        if not in_error:
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        for name in in_error:
            bound = self[name]
            described = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                described.insert(0, f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(described)})
        self.fields[in_error[0]].widget.attrs["autofocus"] = True


class BaseForm(AccessibleFormMixin, forms.Form):
    """The project's base form: accessible errors; subclasses add fields only."""
