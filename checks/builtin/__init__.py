"""The built-in checks: every module of this package is imported, so a new check is one new module and its test."""

from __future__ import annotations

import importlib
import pkgutil

from checks.api import Check

# The registry reads this package's namespace like any plug-in module's: lift every module's checks into it.
for _info in pkgutil.iter_modules(__path__):
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _name, _value in vars(_module).items():
        if isinstance(_value, type) and issubclass(_value, Check) and _value.__module__ == _module.__name__:
            if _name in globals():
                raise ImportError(f"{__name__}: class name {_name} is defined twice ({_module.__name__})")
            globals()[_name] = _value
