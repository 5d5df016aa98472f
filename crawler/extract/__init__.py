"""Readers that turn one fetched page into dates, article fields and outgoing links."""
