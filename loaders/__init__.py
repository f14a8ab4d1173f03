"""Loaders: read a source format, validate every record, write through `store`."""
