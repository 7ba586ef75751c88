"""The inline pass: markdown subset in, spans out; everything else is text."""

from hypothesis import given
from hypothesis import strategies as st

from studyguide.inline import parse_spans
from studyguide.model import (
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
