"""Reading the printed book back, for tests/test_pdf.py.

Two views of one book are compared:

- the PDF as a reader's viewer sees it: every word with its page and box, in the order
  Chromium wrote it (``pdftotext -raw -bbox``: content-stream order, which for this
  printer is document order), and each page's ink from a 50 dpi rendering;
- the single-page HTML it was printed from: every word a reader is meant to see, in
  document order, each tagged with its chapter and, inside a table, its table, row and
  cell.

Aligning the two word streams (difflib) tells, for each HTML word, where it was printed:
a word printed as two pieces on two lines ("explai" / "ned", "26,8" / "19") is a word
broken by the layout; a table row whose words land on two pages was split; a header row
that is printed again at the top of a page shows up as words the HTML has once. Nothing
here knows today's content: it holds for any table and any chapter.
"""

from __future__ import annotations

import difflib
import html
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from PIL import Image

from china_kazakhstan.build.pdf import MARGINS_MM

PT_PER_MM = 72 / 25.4
#: What print.css hides: never part of the printed text.
HIDDEN = (".headerlink, .cell_input, details.above-input, details.hide > summary, .toggle-details__summary, "
          ".screen-only, .noprint, script, style, button, template, noscript")
BLOCKS = {"p", "div", "section", "article", "nav", "aside", "header", "footer", "li", "ul", "ol", "dl", "dt",
          "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5",
          "h6", "figure", "figcaption", "blockquote", "pre", "br", "hr", "details", "summary", "img"}
URL_LIKE = re.compile(r"://|^www\.|\.(com|org|net|kz|cn|html?)\b")
DIGIT = re.compile(r"\d")


def fold(text: str) -> str:
    """Text as search sees it: Sphinx's smart quotes plain, whitespace single."""
    return " ".join(text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split())


# --- the PDF ------------------------------------------------------------------------------

@dataclass
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)

    @property
    def area(self) -> tuple[float, float, float, float]:
        """The text block (left, top, right, bottom) in pt, from the printer's margins."""
        top, right, bottom, left = (m * PT_PER_MM for m in MARGINS_MM)
        return left, top, self.width - right, self.height - bottom

    def body(self) -> list[Word]:
        """Words of the text block (running head and page number excluded)."""
        _, top, _, bottom = self.area
        return [w for w in self.words if w.y0 >= top - 1 and w.y1 <= bottom + 1]

    def head(self) -> list[Word]:
        """Words above the text block: the running head."""
        return [w for w in self.words if w.y1 <= self.area[1] + 1]

    def foot(self) -> list[Word]:
        """Words below the text block: the page number."""
        return [w for w in self.words if w.y0 >= self.area[3] - 1]


def read_pdf(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-raw", "-bbox", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = []
    for number, chunk in enumerate(out.split("<page ")[1:], 1):
        width, height = (float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', chunk).groups())
        page = Page(number, width, height)
        for x0, y0, x1, y1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                chunk):
            page.words.append(Word(number, float(x0), float(y0), float(x1), float(y1), html.unescape(text)))
        pages.append(page)
    return pages


def lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into printed lines (top to bottom, each left to right)."""
    found: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.y0, w.x0)):
        middle = (word.y0 + word.y1) / 2
        for line in found:
            ref = line[0]
            if abs((ref.y0 + ref.y1) / 2 - middle) < min(ref.height, word.height) * 0.45:
                line.append(word)
                break
        else:
            found.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in sorted(found, key=lambda ln: ln[0].y0)]


def ink_bottoms(pdf: Path, folder: Path, dpi: int = 50) -> dict[int, float | None]:
    """For each page, the lowest ink (text, images, rules) inside the text block, in pt;
    None for a page with nothing printed in it. Renders every page (pdftoppm)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("p-*.pgm"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(folder / "p")], check=True)
    bottoms = {}
    for path in sorted(folder.glob("p-*.pgm")):
        number = int(path.stem.split("-")[1])
        image = Image.open(path)
        scale = dpi / 72
        top, right, bottom, left = (m * PT_PER_MM * scale for m in MARGINS_MM)
        box = (int(left), int(top), int(image.width - right), int(image.height - bottom))
        ink = image.crop(box).point(lambda v: 255 if v < 245 else 0).getbbox()
        bottoms[number] = None if ink is None else (box[1] + ink[3]) / scale
    return bottoms


# --- the HTML -----------------------------------------------------------------------------

@dataclass
class Token:
    text: str
    chapter: int
    table: int | None = None
    row: int | None = None
    head: bool = False
    cell: int | None = None


@dataclass
class Table:
    index: int
    chapter: int
    classes: list[str]
    rows: int = 0
    head_rows: set[int] = field(default_factory=set)


@dataclass
class Book:
    """The printed words of the HTML book, by chapter, with their tables."""
    docs: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    #: (chapter, text, the heading's tokens)
    headings: list[tuple[int, str, range]] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    screen_only: list[str] = field(default_factory=list)
    print_only: list[str] = field(default_factory=list)
    code_inputs: list[str] = field(default_factory=list)


def read_html(page: Path, root_doc: str) -> Book:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article") or soup.body
    book = Book(docs=[root_doc])
    book.screen_only = [fold(e.get_text(" ")) for e in article.select(".screen-only, .noprint")]
    book.print_only = [fold(e.get_text(" ")) for e in article.select(".print-only")]
    book.code_inputs = [e.get_text() for e in article.select(".cell_input")]
    for element in article.select(HIDDEN):
        element.decompose()
    state = {"chapter": 0, "table": None, "row": None, "head": False, "cell": None, "text": [], "ctx": [],
             "length": 0}
    cells = iter(range(10**9))

    def flush() -> None:
        text = "".join(state["text"])
        offsets = state["ctx"]
        for match in re.finditer(r"\S+", text):
            at = match.start()
            ctx = next(c for start, c in reversed(offsets) if start <= at)
            book.tokens.append(Token(match.group(), *ctx))
        state["text"], state["ctx"], state["length"] = [], [], 0

    def here() -> tuple:
        return (state["chapter"], state["table"], state["row"], state["head"], state["cell"])

    def visit(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:
                    state["ctx"].append((state["length"], here()))
                    state["text"].append(str(child))
                    state["length"] += len(child)
                continue
            if not isinstance(child, Tag):
                continue
            if child.name == "span" and (child.get("id") or "").startswith("document-"):
                flush()
                state["chapter"] += 1
                book.docs.append(child["id"].removeprefix("document-"))
                continue
            block = child.name in BLOCKS
            if block:
                flush()
            saved = dict(state)
            heading = child.name in ("h1", "h2", "h3", "h4", "h5", "h6")
            start = len(book.tokens)
            if child.name == "table":
                table = Table(len(book.tables), state["chapter"], child.get("class") or [])
                book.tables.append(table)
                state["table"], state["row"] = table.index, None
            elif child.name == "tr" and state["table"] is not None:
                table = book.tables[state["table"]]
                state["row"], state["head"] = table.rows, child.find_parent("thead") is not None
                if state["head"]:
                    table.head_rows.add(table.rows)
                table.rows += 1
            elif child.name in ("td", "th") and state["table"] is not None:
                state["cell"] = next(cells)
            visit(child)
            if block:
                flush()
            if heading:
                text = fold(" ".join(t.text for t in book.tokens[start:]))
                book.headings.append((state["chapter"], text, range(start, len(book.tokens))))
                if len(book.titles) == state["chapter"]:
                    book.titles.append(text)
            for key in ("table", "row", "head", "cell"):
                state[key] = saved[key]
        return None

    visit(article)
    flush()
    return book


# --- where each word was printed ------------------------------------------------------------

@dataclass
class Piece:
    text: str
    word: Word


@dataclass
class Alignment:
    pieces: list[Piece]
    #: html token index -> piece index, for words printed whole
    printed: dict[int, int]
    #: (html token index, pieces) for words printed in several pieces on different lines
    broken: list[tuple[int, list[Piece]]]


def align(book: Book, pages: list[Page]) -> Alignment:
    pieces = [Piece(text, word) for page in pages for word in page.body() for text in word.text.split()]
    a = [t.text for t in book.tokens]
    b = [p.text for p in pieces]
    printed, broken = {}, []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            printed.update(zip(range(i1, i2), range(j1, j2), strict=True))
        elif tag == "replace" and "".join(a[i1:i2]) == "".join(b[j1:j2]):
            j = j1
            for i in range(i1, i2):
                taken, rest = [], a[i]
                while rest and j < j2 and rest.startswith(b[j]):
                    taken.append(pieces[j])
                    rest = rest[len(b[j]):]
                    j += 1
                if len(taken) == 1:
                    printed[i] = j - 1
                elif any(on_next_line(x.word, y.word) for x, y in zip(taken, taken[1:], strict=False)):
                    broken.append((i, taken))
    return Alignment(pieces, printed, broken)


def on_next_line(before: Word, after: Word) -> bool:
    """A line break between two pieces: the second starts left of where the first ended
    (a superscript or a gap within a line continues to the right), or on another page."""
    return after.page != before.page or after.x0 < before.x1 - 1


def allowed_break(token: str, parts: list[Piece]) -> bool:
    """A word may break after a hyphen, dash or slash (people-to-/people); a number, an id
    or anything holding a digit never; a web address may break anywhere."""
    if URL_LIKE.search(token):
        return True
    return not DIGIT.search(token) and all(p.text[-1] in "-‐–—/" for p in parts[:-1])
