"""What a build asks for beyond its outline (audience, edition, style, paper, citation
style...), applied to the assembled guide in one place."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model.document import Guide


@dataclass(frozen=True)
class Overrides:
    """The command line's (or the API's) choices; None leaves the outline's."""

    audience: str | None = None  # None: the outline's `audience:`, else the whole guide
    edition: str | None = None  # student, instructor or worksheet
    answer_key: bool | None = None  # the student edition's answer key
    cornell: bool | None = None  # a Cornell review page after each top-level section
    citation_style: str | None = None  # a CSL short name or a .csl path
    style: str | None = None  # a style sheet name or path
    paper: str | None = None  # letter or a4, instead of the style sheet's


def apply_overrides(guide: Guide, overrides: Overrides) -> Guide:
    """The guide with every choice made: what the build asks for first, then what its
    audience says, then the outline.

    Runs before the resolve passes, which read the audience and the edition; a
    guide already resolved can take `style` and `paper` this way too.
    """
    if overrides.audience is not None:
        guide = replace(guide, audience=overrides.audience)
    chosen = next((a for a in guide.audiences if a.name == guide.audience), None)
    edition = overrides.edition
    if edition is None and chosen is not None and guide.edition not in chosen.editions:
        edition = chosen.editions[0]  # an audience built in one edition gets it unasked
    if edition is not None:
        guide = replace(guide, edition=edition)
    if overrides.answer_key is not None:
        guide = replace(guide, answer_key=overrides.answer_key)
    if overrides.cornell is not None:
        guide = replace(guide, cornell=overrides.cornell)
    if overrides.citation_style is not None:
        guide = replace(guide, bibliography=replace(
            guide.bibliography, style=overrides.citation_style, style_pos=None))
    elif chosen is not None and chosen.csl is not None:
        guide = replace(guide, bibliography=replace(
            guide.bibliography, style=chosen.csl, style_pos=chosen.csl_pos))
    if overrides.style is not None:
        guide = replace(guide, style=overrides.style, style_pos=None)
    elif chosen is not None and chosen.style is not None:
        guide = replace(guide, style=chosen.style, style_pos=chosen.style_pos)
    if overrides.paper is not None:
        guide = replace(guide, paper=overrides.paper)
    return guide


NO_OVERRIDES = Overrides()
