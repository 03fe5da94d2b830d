"""References read aloud: character by character, and in words where letters sound alike."""

from __future__ import annotations

import re

from service_builder.references import ALPHABET, PHONETIC, new_reference, phonetic, spoken


def test_a_reference_is_read_character_by_character_in_its_groups() -> None:
    assert spoken("CTD-7K3Q-9XPD") == "C T D, 7 K 3 Q, 9 X P D"


def test_letters_that_sound_alike_are_told_apart_in_words() -> None:
    assert phonetic("CTD-7K3Q-9XPD") == (
        "Charlie Tango Delta, seven Kilo three Quebec, nine X-ray Papa Delta"
    )
    assert set(ALPHABET) <= set(PHONETIC)  # every character a reference can hold


def test_new_references_use_only_the_alphabet_in_groups() -> None:
    reference = new_reference("CTD")
    assert re.fullmatch(rf"CTD-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", reference)
