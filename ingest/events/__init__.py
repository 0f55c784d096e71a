"""Finding the events of one article: the clauses of the parse (`clauses`), the words that trigger an
event and of what type (`trigger_types`), the triggers of a sentence that report a fact (`triggers`),
then each trigger's arguments: participants and tolls (`participants`, `quantities`), place (`places`)
and date (`dates`); an event told twice comes out once (`merge`)."""
