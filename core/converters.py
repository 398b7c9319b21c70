"""Path converters that parse an id before it reaches the database.

Django's `<int:…>` accepts any number of digits: 99999999999999999999 then overflows
SQLite's 64-bit integers (a 500). `<id:…>` matches only what a primary key can hold;
anything longer is simply not a URL of the site (404).
"""

from django.urls import register_converter

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")
        return number

    def to_url(self, value):
        return str(value)


def register():
    register_converter(IdConverter, "id")
