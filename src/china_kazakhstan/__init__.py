"""China–Kazakhstan cooperation report: the logic behind the book's notebooks.

Every figure the book shows is loaded, validated and computed here, so the
chapter notebooks stay thin (load -> call -> show) and the logic is unit-tested.
"""

__version__ = "0.1.0"
