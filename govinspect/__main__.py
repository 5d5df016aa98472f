"""Entry point for `python -m govinspect`."""

from govinspect.cli import main

main()
