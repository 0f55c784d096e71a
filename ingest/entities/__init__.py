"""Finding and naming the entities of one article: the gazetteer of places (`gazetteer`), the table
of entities as they are found (`table`), places as the text names them (`place_names`), and spaCy's
named entities corrected and merged into that table (`recognise`)."""
