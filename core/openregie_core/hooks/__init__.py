"""Calling hooks: the typed facade (policy per hook class) and core's own implementations."""
