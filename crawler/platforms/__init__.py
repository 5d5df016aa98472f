"""Platform adapters: which CMS built a list page, and how to read its items and further pages."""

from __future__ import annotations

from types import ModuleType

from crawler.items import Page
from crawler.platforms import generic, gkmlpt, hanweb, scripted, trs, ucap

# Order matters: the specific platforms first, generic last because it always matches.
ADAPTERS: tuple[ModuleType, ...] = (gkmlpt, hanweb, trs, ucap, generic)
# Read by name only: the JSON pages of a list API found by rendering a scripted column (crawler/scripted.py).
_BY_NAME = {adapter.NAME: adapter for adapter in (*ADAPTERS, scripted)}


def detect(page: Page) -> ModuleType:
    """The adapter of the first platform whose markers the page carries."""
    for adapter in ADAPTERS:
        if adapter.detect(page):
            return adapter
    return generic


def by_name(name: str | None) -> ModuleType:
    """The adapter called `name` (as stored with a list request); generic for an unknown name."""
    return _BY_NAME.get(name or "", generic)
