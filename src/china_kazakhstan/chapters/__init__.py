"""One module per chapter: the tables, charts and facts that chapter shows."""
