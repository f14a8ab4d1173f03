"""The Space Race GraphQL API.

The code lives in the top-level folders of the checkout (`api/`, `schema/`,
`store/`, `loaders/`, and the data in `seeds/`); this package links them under
one name, so that the installed distribution is `spacerace.api`,
`spacerace.schema`, ... and cannot collide with other packages called `schema`
or `api`. Tools read the links as the plain files they point at.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("spacerace")
except PackageNotFoundError:  # pragma: no cover - a checkout that was never installed
    __version__ = "0+unknown"
