"""The module host: discovery, selection, loading and the computed state of every module."""
