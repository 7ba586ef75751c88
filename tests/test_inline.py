"""The inline pass: markdown subset in, spans out; everything else is text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from studyguide.model.document import (
    Cite,
    CiteItem,
    Code,
    Emph,
    GlossRef,
    LineBreak,
    Link,
    Strong,
    Text,
    plain_text,
)
from studyguide.resolve.inline import _MARKUP_START, _markdown_spans, _parser, parse_spans


def test_plain_text_with_markup_characters_stays_text() -> None:
    source = 'x<y, R&D, <img src="a.png">, &amp; and "quotes" \'too\' α→β 😀'
    assert parse_spans(source) == (Text(source),)


def test_bold_italic_code_and_links() -> None:
    spans = parse_spans("**bold** *it* `a<b` [site](https://example.org)")
    assert spans == (
        Strong((Text("bold"),)),
        Text(" "),
        Emph((Text("it"),)),
        Text(" "),
        Code("a<b"),
        Text(" "),
        Link("https://example.org", (Text("site"),)),
    )


def test_nested_emphasis() -> None:
    assert parse_spans("**a *b***") == (Strong((Text("a "), Emph((Text("b"),)))),)


def test_autolink_and_unsafe_link() -> None:
    assert parse_spans("<https://a.org>") == (Link("https://a.org", (Text("https://a.org"),)),)
    # markdown-it refuses javascript: links, which then print as text
    assert parse_spans("[x](javascript:alert(1))") == (Text("[x](javascript:alert(1))"),)


def test_breaks_and_escapes() -> None:
    assert parse_spans("a\nb") == (Text("a b"),)
    assert parse_spans("a\\\nb") == (Text("a"), LineBreak(), Text("b"))
    assert parse_spans(r"\*not italic\*") == (Text("*not italic*"),)


def test_unclosed_markup_is_text() -> None:
    assert parse_spans("**open") == (Text("**open"),)
    assert parse_spans("") == ()


def test_pandoc_citations() -> None:
    (cite,) = parse_spans("[see @smith04, pp. 33-35; -@doe99]")
    assert isinstance(cite, Cite) and not cite.narrative
    assert cite.items == (CiteItem("smith04", "see", "pp. 33-35"),
                          CiteItem("doe99", suppress_author=True))
    assert cite.source == "[see @smith04, pp. 33-35; -@doe99]"
    text, narrative, rest = parse_spans("As @doe99 says.")
    assert (text, rest) == (Text("As "), Text(" says."))
    assert isinstance(narrative, Cite) and narrative.narrative and narrative.offset == 3
    assert narrative.items == (CiteItem("doe99"),)


def test_keys_end_before_sentence_punctuation() -> None:
    cite, dot = parse_spans("@cleveland2022.")
    assert isinstance(cite, Cite) and cite.items[0].key == "cleveland2022"
    assert dot == Text(".")


def test_what_is_not_a_citation_stays_text() -> None:
    assert parse_spans("write to e@x.org") == (Text("write to e@x.org"),)
    assert parse_spans("[just brackets]") == (Text("[just brackets]"),)
    assert parse_spans("a @ sign") == (Text("a @ sign"),)


def test_glossary_marks() -> None:
    assert parse_spans("[[dopamine]] and [[catecholamine|catecholamines]]") == (
        GlossRef("dopamine", (Text("dopamine"),), 0),
        Text(" and "),
        GlossRef("catecholamine", (Text("catecholamines"),), 17),
    )


_PLAIN = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"),
        blacklist_characters="*_`[]\\<!@\n\r\t ",
    ),
    min_size=1,
)


@given(_PLAIN)
def test_text_without_markup_comes_back_unchanged(source: str) -> None:
    assert plain_text(parse_spans(source)) == source


@given(st.text())
def test_any_text_parses(source: str) -> None:
    parse_spans(source)


def test_marks_and_citations_inside_link_text_keep_the_link() -> None:
    (link,) = parse_spans("[the [[NE]] page](https://example.org)")
    assert isinstance(link, Link) and link.url == "https://example.org"
    assert link.children == (Text("the "), GlossRef("NE", (Text("NE"),), 5), Text(" page"))
    (link,) = parse_spans("[see [@smith]](https://x.org)")
    assert isinstance(link, Link) and isinstance(link.children[1], Cite)



# The characters that send a text through markdown-it, each with a text it
# changes; without any of them a text is one Text.
_MARKUP = {"\n": "a\nb", "\\": "\\!", "`": "`a`", "*": "*a*", "_": "_a_", "[": "[[a]]",
           "@": "@key", "<": "<http://x.org>", "\r": "a\rb", "\0": "a\0b"}
# The other characters markdown-it stops a plain-text run at, and more it or
# YAML could treat specially: spaces, separators, entities, a lone surrogate.
_TRICKY = [*"!#$%&+-:=>]^{}~ \t\v\f\x85\u2028\u2029\u00a0\u00ad\ufffd\ud800é😀",
           "&amp;", "&#42;", "a", "B", "7"]
_WITHOUT = st.lists(st.sampled_from(_TRICKY)).map("".join)
_WITH_ALL = st.lists(st.sampled_from([*_TRICKY, *_MARKUP, "key", "http://x.org"])).map("".join)
# Markup of one character only, among other text: what the shortcut would take
# for plain text if that character were missing from its list.
_WITH_ONE = st.tuples(_WITHOUT, st.sampled_from(sorted(_MARKUP.values())), _WITHOUT).map("".join)


@settings(max_examples=500)
@given(st.one_of(_WITHOUT, _WITH_ONE, _WITH_ALL, st.text()))
def test_the_shortcut_gives_what_markdown_it_gives(source: str) -> None:
    assert parse_spans(source) == _markdown_spans(source)


@given(_WITHOUT)
def test_text_without_markup_characters_is_one_span_as_written(source: str) -> None:
    # leading, trailing and repeated spaces and entities included
    assert parse_spans(source) == ((Text(source),) if source else ())


def test_the_shortcut_looks_for_exactly_the_markup_characters() -> None:
    every = (chr(c) for c in range(0x110000))
    assert "".join(c for c in every if _MARKUP_START.search(c)) == "".join(sorted(_MARKUP))


def test_each_markup_character_can_change_the_text() -> None:
    # so none of them could be left off the shortcut's list
    for char, source in _MARKUP.items():
        assert char in source and _markdown_spans(source) != (Text(source),), source


def test_the_shortcut_knows_every_enabled_rule() -> None:
    # A rule enabled here must add the characters it starts at to inline._MARKUP_START.
    md = _parser()
    assert md.core.ruler.get_active_rules() == ["normalize", "block", "inline", "text_join"]
    assert md.inline.ruler.get_active_rules() == [
        "text", "newline", "escape", "backticks", "emphasis", "citation_or_gloss",
        "narrative_citation", "link", "autolink"]
    assert md.inline.ruler2.get_active_rules() == ["balance_pairs", "emphasis", "fragments_join"]
    assert not md.options["typographer"] and not md.options["linkify"]
