"""Exchanges, the verifier's PAWS-style training negatives: two words or names of one kind trade places, the
words stay the same, coordinated pairs never move, and the same sentence always gives the same negative."""

from __future__ import annotations

from collections import Counter

import pytest

from sim.knowledge.realtext.edits import nlp
from sim.verify.exchanges import exchanged


def _sentence(text: str):
    return next(nlp()(text).sents)


@pytest.mark.parametrize("text", [
    "His father emigrated to Missouri in 1868 but returned before the rest of the family could go to America.",
    "The Villa Pesquera facilities are owned by the municipality but operated by the fishermen themselves.",
    "Measurements could be done in angular standards and read in polar coordinates.",
])
def test_an_exchange_moves_two_words_and_keeps_every_word(text: str) -> None:
    swapped = exchanged(_sentence(text))
    assert swapped is not None and swapped != text
    assert Counter(swapped.lower().split()) == Counter(text.lower().split())
    moved = [a for a, b in zip(text.split(), swapped.split(), strict=True) if a != b]
    assert len(moved) == 2 or len(moved) > 2 and " ".join(moved) != text  # two words, or two names of several


@pytest.mark.parametrize("text", [
    "Tom and Jerry met.",  # a coordination: the same claim either way
    "The bank pays.",  # one noun: nothing to trade it with
    "The fee was paid and the fee was refunded.",  # the same spelling: no change
])
def test_no_exchange_where_it_would_change_nothing(text: str) -> None:
    assert exchanged(_sentence(text)) is None


def test_names_trade_only_with_names_of_their_label() -> None:
    text = "Microsoft sued Google in Paris last year."
    swapped = exchanged(_sentence(text))
    assert swapped == "Google sued Microsoft in Paris last year."


def test_the_same_sentence_gives_the_same_exchange() -> None:
    text = "The senior auditor reviewed the annual report of the foreign subsidiary in the spring."
    assert exchanged(_sentence(text)) == exchanged(_sentence(text)) is not None
