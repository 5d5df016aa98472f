"""govinspect: website compliance monitor for Chinese government bureaus."""

__version__ = "0.1.0"
