// Page script of the PDF printer (build/pdf.py): turns the single-page HTML book, already
// styled by print.css under print media, into the printed edition. Evaluated once, as
// `(options) => ...`; it returns what the printer needs to know and every problem found.
//
// Why it is a script and not only CSS: the chapters, their running heads and the contents
// come from the document's structure; links need rewriting (a PDF must not point at the
// build machine); and whether a table fits the text width is only known once it is laid
// out, so a wide table is set smaller step by step, or given a landscape page.
(options) => {
  const problems = [];
  const article = document.querySelector('article.bd-article') || document.body;
  const buildRoot = new URL(options.buildRoot);
  const docUrl = new URL(location.href); docUrl.hash = '';

  // --- 0. paper shows the article only: every box around it (theme header, sidebars,
  // footers, and whatever a theme update adds) would otherwise print, or open a page.
  for (let el = article; el && el !== document.body; el = el.parentElement) {
    for (const sibling of el.parentElement.children) {
      if (sibling !== el && !['SCRIPT', 'STYLE', 'LINK'].includes(sibling.tagName)) sibling.style.display = 'none';
    }
  }

  // --- 1. assets: the single-page build references images and downloads from its root,
  // although the page sits one folder down.
  for (const el of document.querySelectorAll('img[src^="_images/"]')) {
    el.setAttribute('src', new URL(el.getAttribute('src'), buildRoot).href);
  }
  for (const img of document.querySelectorAll('img')) img.loading = 'eager';
  // Collapsed outputs and dropdowns are printed open (their summaries are hidden by CSS).
  for (const d of document.querySelectorAll('details')) d.open = true;
  // Cells that print nothing (glue cells, hidden inputs) would break the chain that keeps a
  // heading and its first lines with the figure or table after them.
  for (const cell of article.querySelectorAll('.cell')) {
    const shown = [...cell.querySelectorAll('.cell_output')].some(o => o.textContent.trim() || o.querySelector('img, svg, table, iframe'));
    if (!shown) cell.style.display = 'none';
  }

  // --- 2. chapters: the root document, then each document Sphinx inlined (after a span).
  const chapters = [];
  const byDoc = {};
  const addChapter = (section, doc) => {
    if (!section) return;
    const heading = section.querySelector('h1, h2');
    if (!heading) { problems.push(`chapter ${doc}: no heading`); return; }
    const copy = heading.cloneNode(true);
    copy.querySelectorAll('.headerlink').forEach(e => e.remove());
    const numberEl = copy.querySelector('.section-number');
    const number = numberEl ? numberEl.textContent.trim().replace(/\.$/, '') : '';
    if (numberEl) numberEl.remove();
    const title = copy.textContent.replace(/\s+/g, ' ').trim();
    const chapter = {id: section.id, doc, number, title, index: chapters.length};
    chapters.push(chapter);
    byDoc[doc] = chapter;
    section.classList.add('print-chapter');
    section.dataset.printChapter = String(chapter.index);
    section.style.page = 'chapter-' + chapter.index;
  };
  addChapter(article.querySelector('section'), options.rootDoc);
  for (const span of document.querySelectorAll('span[id^="document-"]')) {
    let next = span.nextElementSibling;
    while (next && next.tagName !== 'SECTION') next = next.nextElementSibling;
    addChapter(next, span.id.slice('document-'.length));
    // Inline boxes between chapters would open a page of their own (the enclosing named page).
    span.style.display = 'none';
  }

  // Sphinx nests the inlined chapters one heading level below the root's title; the PDF's
  // outline (bookmarks) is built from heading levels, so every chapter title becomes h1.
  for (const chapter of chapters.slice(1)) {
    const section = document.getElementById(chapter.id);
    if (section.querySelector('h1')) continue;
    for (const h of [...section.querySelectorAll('h2, h3, h4, h5, h6')]) {
      const level = Number(h.tagName[1]) - 1;
      const renamed = document.createElement('h' + level);
      for (const attr of h.attributes) renamed.setAttribute(attr.name, attr.value);
      renamed.append(...h.childNodes);
      h.replaceWith(renamed);
    }
  }

  // --- 3. pages: size, margins, running heads (one named page per chapter) -----------------
  const css = (s) => '"' + String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ') + '"';
  const g = options.page;
  const box = 'font-family: ' + g.font + '; font-size: 8pt; color: #555;';
  // "n / N" at the foot of every page, the title page's included (tests/test_build.py holds
  // the book to that form); the chapter's title at the head.
  const numberBox = `@bottom-center { content: counter(page) " / " counter(pages); ${box} vertical-align: top; `
    + 'padding-top: 4mm; }';
  const headBox = (text) => `@top-left { content: ${css(text)}; ${box} vertical-align: bottom; padding-bottom: 3mm; }`;
  let rules = `@page { size: ${g.size}; margin: ${g.margins.map(m => m + 'mm').join(' ')}; ${numberBox} }\n`;
  const wide = `size: ${g.wideSize};`;
  for (const chapter of chapters) {
    const head = chapter.number ? `${chapter.number}. ${chapter.title}` : chapter.title;
    chapter.runningHead = head;
    rules += `@page chapter-${chapter.index} { ${headBox(head)} }\n`;
    rules += `@page chapter-${chapter.index}-wide { ${wide} ${headBox(head)} }\n`;
  }
  const style = document.createElement('style');
  style.id = 'print-pages';
  style.textContent = rules;
  document.head.appendChild(style);

  // --- 4. links: in-document anchors, or addresses a reader can open ---------------------
  const published = (path) => new URL(path, options.baseUrl).href;
  const relative = (url) => {
    const root = buildRoot.pathname;
    return url.pathname.startsWith(root) ? decodeURIComponent(url.pathname.slice(root.length)) : null;
  };
  // What only the screen offers (a chart's CSV download, embedded as a data: link) is not
  // printed (print.css): take it out, so that its links are not the PDF's.
  for (const el of document.querySelectorAll('.screen-only')) el.remove();
  for (const a of document.querySelectorAll('a[href]')) {
    const raw = a.getAttribute('href');
    if (raw.startsWith('#')) {
      const target = decodeURIComponent(raw.slice(1));
      // "#document-chapters/trade" is an empty span before the chapter: point at the chapter.
      const chapter = target.startsWith('document-') && byDoc[target.slice('document-'.length)];
      if (chapter) { a.setAttribute('href', '#' + chapter.id); continue; }
      if (raw.length > 1 && !document.getElementById(target)) {
        problems.push(`link to a missing anchor ${raw} (text ${JSON.stringify(a.textContent.trim())})`);
      }
      continue;
    }
    if (/^(https?|mailto):/i.test(raw)) continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(raw) && !/^file:/i.test(raw)) {
      problems.push(`link with scheme the PDF cannot open: ${raw}`);
      continue;
    }
    // The single-page build writes downloads and images relative to its root.
    const url = /^(_downloads|_images|_static|_sources)\//.test(raw) ? new URL(raw, buildRoot) : new URL(raw, docUrl);
    const id = url.hash ? decodeURIComponent(url.hash.slice(1)) : '';
    if (id && document.getElementById(id)) { a.setAttribute('href', '#' + id); continue; }
    const path = relative(url);
    if (path === null) { problems.push(`link outside the book: ${raw}`); continue; }
    const chapter = byDoc[path.replace(/\.html$/, '')];
    if (chapter && !id) { a.setAttribute('href', '#' + chapter.id); continue; }
    a.setAttribute('href', published(path + url.hash));
  }

  // --- 5. contents, with a fixed-width box for each page number -------------------------
  const toc = document.createElement('nav');
  toc.className = 'print-toc';
  toc.innerHTML = '<h1 class="print-toc-heading">Contents</h1><ol></ol>';
  const list = toc.querySelector('ol');
  const entry = (chapter) => {
    const li = document.createElement('li');
    li.className = 'print-toc-entry';
    const a = document.createElement('a');
    a.href = '#' + chapter.id;
    a.dataset.chapter = chapter.id;
    a.innerHTML = '<span class="toc-number"></span><span class="toc-title"></span>'
      + '<span class="toc-leader"></span><span class="toc-page">00</span>';
    a.querySelector('.toc-number').textContent = chapter.number;
    a.querySelector('.toc-title').textContent = chapter.title;
    li.appendChild(a);
    list.appendChild(li);
  };
  const listed = new Set();
  if (chapters[0]) { entry(chapters[0]); listed.add(chapters[0].id); }
  for (const part of options.parts) {
    const members = part.files.map(f => byDoc[f]).filter(Boolean);
    if (!members.length) continue;
    if (part.caption) {
      const li = document.createElement('li');
      li.className = 'print-toc-part';
      li.textContent = part.caption;
      list.appendChild(li);
    }
    for (const chapter of members) { entry(chapter); listed.add(chapter.id); }
  }
  for (const chapter of chapters) if (!listed.has(chapter.id)) entry(chapter);

  // --- 6. title page -------------------------------------------------------------------
  const cover = document.createElement('section');
  cover.className = 'print-title-page';
  const line = (tag, cls, text) => {
    if (!text) return;
    const el = document.createElement(tag);
    el.className = cls;
    el.textContent = text;
    cover.appendChild(el);
    return el;
  };
  // Not a heading: the PDF's bookmarks start with the contents; the title is the PDF's Title.
  line('p', 'print-title', options.title);
  line('p', 'print-author', options.author);
  line('p', 'print-edition', options.edition);
  line('p', 'print-date', options.date);
  if (options.url) {
    const p = document.createElement('p');
    p.className = 'print-url';
    const a = document.createElement('a');
    a.href = options.url;
    a.textContent = options.url;
    p.appendChild(a);
    cover.appendChild(p);
  }
  const citation = line('p', 'print-citation', options.citation);
  if (citation) {
    // The address in the citation moves to the next line whole, never broken at its hyphens.
    citation.textContent = '';
    for (const part of options.citation.split(/(https?:\/\/\S+)/)) {
      if (!/^https?:/.test(part)) { citation.append(part); continue; }
      const span = document.createElement('span');
      span.className = 'print-nobr';
      span.textContent = part;
      citation.appendChild(span);
    }
  }
  article.prepend(toc);
  article.prepend(cover);
  document.title = options.title;

  // --- 7. number-like tokens never break: "2016–2024", "2024-01..2024-05", "1/3"; in a
  // table cell, neither does a short compound ("YYYY-MM", "sister-city", "China–Kazakhstan").
  const breakable = /[-‐‑‒–—−/]|\.\./;
  const token = /[^ \t\n\r]+/g;
  const skip = 'pre, .highlight, script, style, .print-nobr, .print-toc, .print-title-page';
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (breakable.test(n.data) && !n.parentElement.closest(skip))
      ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT,
  });
  const texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  let wrapped = 0;
  for (const node of texts) {
    const parts = [];
    let last = 0;
    const inCell = !!node.parentElement.closest('td, th');
    for (const m of node.data.matchAll(token)) {
      const t = m[0];
      if (!breakable.test(t) || /:\/\/|www\./.test(t)) continue;
      if ((/\d/.test(t) && t.length <= 40) || (inCell && t.length <= 20)) parts.push([m.index, t]);
    }
    if (!parts.length) continue;
    const frag = document.createDocumentFragment();
    for (const [at, t] of parts) {
      frag.append(node.data.slice(last, at));
      const span = document.createElement('span');
      span.className = 'print-nobr';
      span.textContent = t;
      frag.append(span);
      last = at + t.length;
      wrapped += 1;
    }
    frag.append(node.data.slice(last));
    node.replaceWith(frag);
  }

  // --- 8. wide tables: smaller type, step by step, then a landscape page ------------------
  const fits = (table, limit) => table.getBoundingClientRect().right <= limit + 0.5;
  const articleBox = article.getBoundingClientRect();
  const report = {scaled: [], landscape: []};
  const name = (table) => {
    const section = table.closest('section[id]');
    return section ? '#' + section.id : 'a table';
  };
  // Measure every table first (one layout), then refit only those too wide.
  const wideTables = [...article.querySelectorAll('table')]
    .filter(t => t.offsetParent && !t.closest('.print-toc') && !fits(t, articleBox.right));
  for (const table of wideTables) {
    const fitIn = (limit) => {
      for (let size = options.tables.start; size >= options.tables.min - 1e-9; size -= options.tables.step) {
        table.style.fontSize = size + 'pt';
        if (fits(table, limit)) return size;
      }
      return null;
    };
    const size = fitIn(articleBox.right);
    if (size !== null) {
      if (size < options.tables.start) report.scaled.push(`${name(table)} at ${size}pt`);
      continue;
    }
    // Landscape: the table's output block gets the chapter's wide page; measure it there.
    const block = table.closest('.cell, .output, .pst-scrollable-table-container') || table;
    const section = table.closest('section.print-chapter');
    const index = section ? section.dataset.printChapter : '0';
    block.style.page = `chapter-${index}-wide`;
    block.style.width = options.page.wideTextWidthPx + 'px';
    const wideSize = fitIn(block.getBoundingClientRect().left + options.page.wideTextWidthPx);
    block.style.width = '';
    if (wideSize === null) {
      problems.push(`${name(table)}: a table is wider than a landscape page even at ${options.tables.min}pt `
        + '(shorten its columns or split it)');
    } else {
      report.landscape.push(`${name(table)} at ${wideSize}pt`);
    }
  }

  // --- 9. a paragraph too short to break legally (fewer lines than orphans + widows) is
  // kept whole: Chromium would otherwise split it rather than move the heading above it.
  // All measured before any is marked: a change between two measurements re-lays the book out.
  const short = [...article.querySelectorAll('p')].filter((p) => {
    if (!p.offsetParent || p.closest('table, .print-toc, .print-title-page')) return false;
    const style = getComputedStyle(p);
    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.45;
    const lines = Math.round(p.getBoundingClientRect().height / lineHeight);
    return lines > 1 && lines < Number(style.orphans) + Number(style.widows);
  });
  for (const p of short) p.classList.add('print-keep');
  const kept = short.length;
  // The first print only tells the pages: images hidden (same layout) save encoding them.
  document.documentElement.classList.add('print-draft');

  return {
    chapters: chapters.map(({id, number, title, runningHead}) => ({id, number, title, runningHead})),
    problems, tables: report, wrapped, kept,
  };
}
