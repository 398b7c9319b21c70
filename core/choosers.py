"""Wagtail's chooser widgets redraw a posted id that is not one as an empty chooser.

`BaseChooser.get_instance` catches DoesNotExist only: a forged value ("²", a date) posted to
any admin form with a page or snippet chooser raised ValueError while the form was drawn
again with its errors (a 500). The form itself already says the field is wrong.
"""

from django.core.exceptions import ValidationError
from wagtail.admin.widgets.chooser import BaseChooser


def tolerate_forged_ids():
    original = BaseChooser.get_instance
    if getattr(original, "tolerant", False):
        return

    def get_instance(self, value):
        try:
            return original(self, value)
        except (ValueError, TypeError, OverflowError, ValidationError):
            return None

    get_instance.tolerant = True
    BaseChooser.get_instance = get_instance
