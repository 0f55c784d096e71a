"""Text → ArticleExtraction, and the loads that store it. In reading order:

- `reader`, `records`: article files and the shape of one article; `clean`: the text that is stored.
- `nlp`: the spaCy pipeline; `datelines`, `date_expressions`, `lexicon`: what both subpackages read.
- `entities/`: finding and naming the article's entities; `events/`: finding its events.
- `extract`: the entry point that runs both over a parsed article; `article_extraction`: its result.
- `load`, `reprocess`: writing extractions through `db.writes`; `scoring`: against a gold annotation.
"""
