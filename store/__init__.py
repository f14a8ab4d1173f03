"""The data-access layer: the only package that talks to MongoDB."""
