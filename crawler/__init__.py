"""Fetching and reading a bureau's site: settings, spider, platform adapters, extractors, pipeline; never judging."""
