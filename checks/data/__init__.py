"""Dictionaries of the text checks (data files, shipped with the package: setup.cfg package_data)."""
