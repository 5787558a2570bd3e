"""A cross-check, its stable id, and the book's four verdicts.

A check's id is made from what it compares, never from its place in a list: the kind of
check, the metric(s), the period(s) and, where the check compares particular statements,
their claim ids. The id is a two-letter code for the kind and four hexadecimal digits of
a hash of that key (``SP-3F2A``), so that adding an article adds checks but never
renumbers one a reader may have cited. The data page documents the rule.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

#: Each kind of check: its id prefix and what it compares, for readers.
KINDS: dict[str, tuple[str, str]] = {
    "same_period": ("SP", "the same figure for the same period in several articles"),
    "over_time": ("OT", "the same figure at two dates"),
    "implied_prior": ("IP", "a stated figure against the one a later total and its growth rate imply"),
    "implied_growth": ("IG", "a stated growth rate against the one two stated totals give"),
    "pace": ("PR", "part of a year against the previous full year at an even pace"),
    "start_year": ("SY", "the start year an anniversary or a numbered meeting implies"),
    "visits": ("CV", "a count of visits against the visits the articles date"),
    "part_whole": ("PW", "a part against its whole"),
    "rank_components": ("RC", "an overall rank against the ranks of its parts"),
    "project_status": ("PS", "the stage of a project named by several articles"),
    "article_date": ("AD", "the inferred date of an undated article"),
    "outside_rank": ("OR", "a rank statement against the IMF's yearly ranks"),
}
#: The kinds that set an article against an outside source, not against another article.
OUTSIDE_KINDS = frozenset({"outside_rank"})
VERDICTS = ("consistent", "timing_or_scope", "tension", "conflict")
#: The verdicts in the reader's words.
VERDICT_LABELS = {
    "consistent": "consistent",
    "timing_or_scope": "changed between articles",
    "tension": "in tension",
    "conflict": "in conflict",
}
#: The label of a check without a verdict: every figure it needs lies beyond the data it is
#: checked against (``verdict`` empty; never counted as consistent).
NO_VERDICT_LABEL = "no verdict: beyond the data"
#: What each verdict means, for the page that explains them.
VERDICT_MEANINGS = {
    "consistent": "the figures agree once each is allowed the rounding of its printed digits and its hedge",
    "timing_or_scope": "the figures differ, but they describe different dates or count different things, "
                       "so both can be right",
    "tension": "the figures agree only under one reading of their wording, or miss by less than a "
               "statistical revision",
    "conflict": "the figures cannot both be right under any reading of their wording",
}


def check_id(kind: str, key: tuple[str, ...]) -> str:
    """``SP-3F2A``: the kind's prefix and a hash of what the check compares."""
    prefix = KINDS[kind][0]
    digest = hashlib.sha1("|".join((kind, *key)).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:4].upper()}"


@dataclass(frozen=True)
class Check:
    """One cross-check: the figures it uses, the arithmetic, and the verdict under each reading.

    ``verdict`` is the verdict under the book's reading of the figures (a plain reading of
    "more than", a round figure read as rounded), or empty when the check cannot reach a
    verdict (an outside source that ends before the years a statement is about);
    ``literal_verdict`` is the verdict under
    the literal reading when the two differ, else empty. ``hypothesis`` is what the verdict
    or its explanation assumes that the articles do not say, or empty.
    """

    kind: str
    key: tuple[str, ...]
    title: str
    metrics: tuple[str, ...]
    claim_ids: tuple[str, ...]
    arithmetic: str
    verdict: str
    explanation: str
    hypothesis: str = ""
    literal_verdict: str = ""
    event_ids: tuple[str, ...] = ()
    values: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown check kind {self.kind!r}")
        for verdict in (self.verdict, self.literal_verdict):
            if verdict and verdict not in VERDICTS:
                raise ValueError(f"unknown verdict {verdict!r}")
        # An event's mentions arrive joined ("E016, E030"): one id each, in order, once.
        ids = [i.strip() for joined in self.event_ids for i in joined.split(",") if i.strip()]
        object.__setattr__(self, "event_ids", tuple(dict.fromkeys(ids)))

    @property
    def check_id(self) -> str:
        return check_id(self.kind, self.key)

    @property
    def against_outside(self) -> bool:
        """Whether the check sets an article against an outside source (not another article)."""
        return self.kind in OUTSIDE_KINDS

    @property
    def passes(self) -> bool:
        return self.verdict == "consistent"

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict] if self.verdict else NO_VERDICT_LABEL

    @property
    def depends_on_reading(self) -> bool:
        return bool(self.literal_verdict) and self.literal_verdict != self.verdict
