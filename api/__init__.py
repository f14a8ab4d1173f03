"""The service's entry points: the HTTP app and the `spacerace` command."""
