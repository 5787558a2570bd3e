"""China–Kazakhstan cooperation report: the logic behind the book's notebooks.

Every figure the book shows is loaded, validated and computed here, so the
chapter notebooks stay thin (load -> call -> show) and the logic is unit-tested.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    #: The installed package's version: pyproject.toml's, the book's edition (see ``edition``).
    __version__ = version("china-kazakhstan")
except PackageNotFoundError:  # a source tree used without installing it
    from .edition import CHECKOUT, read_version

    __version__ = read_version(CHECKOUT / "pyproject.toml")
