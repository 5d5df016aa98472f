"""Turning stored findings into what people read: the rectification list and reports."""
