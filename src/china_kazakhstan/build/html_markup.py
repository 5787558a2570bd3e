"""Sphinx extension: the collapsed code cells' toggle is named by the words it shows.

myst-nb writes ``<summary aria-label="Toggle hidden content">`` around the visible "Show
code cell source": a screen reader then announces a name that is not the text on screen
(axe: label-content-name-mismatch, serious), once per analysis cell. The same markup without
the ``aria-label`` lets the visible words name the control.
"""

from __future__ import annotations

from html import escape


def visit_hide_cell_input(self, node) -> None:
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def depart_hide_cell_input(self, node) -> None:
    self.body.append("</details>\n")


def setup(app):
    from myst_nb.sphinx_ import HideCodeCellNode

    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, html=(visit_hide_cell_input, depart_hide_cell_input))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
