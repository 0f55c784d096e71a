from ingest.clean import clean_text, infer_title, looks_like_headline


def test_clean_text_drops_read_more_and_loading_lines() -> None:
    raw = (
        "The drills will also involve Uzbek and Tajik forces.\n\n"
        "READ MORE:\u00a0Tajikistan holds largest-ever military drill amid Afghan Taliban advance\n\n"
        "REEAD MORE: Afghan families flee their homes as fighting intensifies in Kandahar\n\n"
        "Loading...\n\n"
        "A total of more than 1,500 soldiers will take part, TASS said.\u00a0"
    )
    assert clean_text(raw) == (
        "The drills will also involve Uzbek and Tajik forces.\n\n"
        "A total of more than 1,500 soldiers will take part, TASS said."
    )


def test_clean_text_strips_photo_credit_but_keeps_caption() -> None:
    raw = (
        "Afghan soldiers stand guard Tuesday in Baghlan province, north of Kabul. (Massoud Hossaini/AP)\n\n"
        "The NATO chief praised Afghan security forces."
    )
    assert (
        clean_text(raw).split("\n\n")[0]
        == "Afghan soldiers stand guard Tuesday in Baghlan province, north of Kabul."
    )


def test_clean_text_drops_agency_credit_lines_repeats_and_trailing_headlines() -> None:
    raw = (
        "An Afghan soldier stands guard at the gate of Bagram US air base.\nReuters\n\n"
        "An Afghan soldier stands guard at the gate of Bagram US air base.\n\n"
        "“I expect 2016 to be difficult,” Stoltenberg said.\n\n"
        "Mohammad Sharif and Sayed Salahuddin contributed to this report.\n\n"
        "Stretched by its fight against Taliban, Afghan army raises recruitment age\n\n"
        "Commando-style assault on Afghan jail frees scores of Taliban inmates"
    )
    assert clean_text(raw) == (
        "An Afghan soldier stands guard at the gate of Bagram US air base.\n\n"
        "“I expect 2016 to be difficult,” Stoltenberg said."
    )


def test_clean_text_keeps_section_headings_inside_the_story() -> None:
    raw = "Fighting continues\n\nThe fighting continues across the rugged countryside."
    assert clean_text(raw) == raw


def test_clean_text_drops_a_first_line_that_repeats_the_title() -> None:
    title = "More Afghan forces flee to Tajikistan as key districts fall to Taliban"
    raw = f"{title}\n\nHundreds of Afghan soldiers cross over to Tajikistan."
    assert clean_text(raw, title) == "Hundreds of Afghan soldiers cross over to Tajikistan."


def test_infer_title_prefers_a_headline_line_then_the_first_sentence() -> None:
    assert infer_title("Pakistan sends back Afghan soldiers\n\nAlso on Tuesday, ...") == (
        "Pakistan sends back Afghan soldiers"
    )
    assert (
        infer_title("Taliban fighters seized Khanashin. Officials said so.")
        == "Taliban fighters seized Khanashin."
    )
    long_sentence = (
        "NATO chief Jens Stoltenberg describes security situation as " + "very " * 40 + "challenging."
    )
    title = infer_title(long_sentence)
    assert title.endswith("…")
    assert len(title) <= 141


def test_looks_like_headline() -> None:
    assert looks_like_headline("Russia joint military drills")
    assert not looks_like_headline(
        "The drills from August 5-10 come amid a deteriorating security in Afghanistan."
    )


def test_clean_text_keeps_a_story_that_is_only_a_table() -> None:
    raw = "Shr 45 cts vs 58 cts\n    Net 1.1 mln vs 829,000\n    Sales 7.9 mln vs 9.4 mln"
    assert clean_text(raw) == "Shr 45 cts vs 58 cts\n\nNet 1.1 mln vs 829,000\n\nSales 7.9 mln vs 9.4 mln"
