"""Sphinx extension: re-read a page when its notebook's cached outputs changed.

Sphinx re-reads a page only when its source file changed, not when the cached outputs of
its notebook did (after a data change: :func:`.execution.invalidate_stale` dropped the run
and :func:`.execution.execute_uncached` made a new one). This records, per page, which
cache record it was rendered from, and marks the page outdated when that record changed.
It also writes myst-nb's stylesheet early, so that clean and incremental builds write the
same pages.

``_config.yml`` loads it as ``china_kazakhstan.build.execution`` (which re-exports
:func:`setup`).
"""

from __future__ import annotations

from pathlib import Path


def _record_token(cache, notebook_path: str) -> str | None:
    import nbformat

    try:
        record = cache.match_cache_notebook(nbformat.read(notebook_path, as_version=4))
    except (KeyError, FileNotFoundError):
        return None
    return f"{record.pk}:{record.hashkey}:{record.created.isoformat()}"


def _sphinx_cache(app):
    if getattr(app.config, "nb_execution_mode", None) != "cache":
        return None
    from jupyter_cache import get_cache

    path = Path(app.config.nb_execution_cache_path or ".jupyter_cache")
    if not path.is_absolute():
        path = Path(app.srcdir) / path
    return get_cache(str(path)) if (path / "global.db").is_file() else None


def _outdated_by_cache(app, env, added, changed, removed) -> list[str]:
    tokens = getattr(env, "china_kz_nb_records", {})
    cache = _sphinx_cache(app) if tokens else None
    if cache is None:
        return []
    outdated = []
    for docname, token in tokens.items():
        if docname in changed or docname in removed or docname not in env.all_docs:
            continue
        if _record_token(cache, env.doc2path(docname)) != token:
            outdated.append(docname)
    return outdated


def _remember_record(app, doctree) -> None:
    env = app.env
    source = env.doc2path(env.docname)
    if not str(source).endswith(".ipynb"):
        return
    cache = _sphinx_cache(app)
    if cache is None:
        return
    if not hasattr(env, "china_kz_nb_records"):
        env.china_kz_nb_records = {}
    env.china_kz_nb_records[env.docname] = _record_token(cache, source)


def _forget(app, env, docname) -> None:
    getattr(env, "china_kz_nb_records", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    records = getattr(other, "china_kz_nb_records", {})
    if not hasattr(env, "china_kz_nb_records"):
        env.china_kz_nb_records = {}
    env.china_kz_nb_records.update({d: records[d] for d in docnames if d in records})


def _early_mystnb_css(app) -> None:
    """Write myst-nb's stylesheet before the pages, not after (its ``build-finished``).

    Sphinx appends ``?v=<checksum>`` to a stylesheet link only when the file is already
    in the output: late, a clean build links ``mystnb.<hash>.css`` and an incremental
    one ``mystnb.<hash>.css?v=...``, and the same page differs between the two.
    """
    from myst_nb.sphinx_ext import add_global_html_resources

    if app.builder is not None and app.builder.format == "html":
        (Path(app.builder.outdir) / "_static").mkdir(parents=True, exist_ok=True)
        add_global_html_resources(app, None)


def setup(app) -> dict:
    """Sphinx extension: a page whose notebook's cache record changed is read again."""
    app.connect("builder-inited", _early_mystnb_css)
    app.connect("env-get-outdated", _outdated_by_cache)
    app.connect("doctree-read", _remember_record)
    app.connect("env-purge-doc", _forget)
    app.connect("env-merge-info", _merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
