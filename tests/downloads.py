"""What every private download carries (core.downloads): the name to save it under,
never kept by a cache (`private, no-store`), never sniffed (`nosniff`)."""

from django.utils.http import content_disposition_header


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


def assert_private_download(response, filename: str | None, *, inline: bool = False) -> bytes:
    """The response is a private download of `filename` (None: any name); returns its bytes."""
    assert response.status_code == 200, response.status_code
    disposition = response["Content-Disposition"]
    if filename is None:
        assert disposition.startswith("inline" if inline else "attachment"), disposition
    else:
        assert disposition == content_disposition_header(not inline, filename), disposition
    # Wagtail's admin adds its own never_cache directives to these: stricter still.
    directives = {part.strip().split("=")[0] for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    return body_of(response)
