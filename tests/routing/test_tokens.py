from routing.tokens import content_text, estimate_prompt_tokens, estimate_text_tokens


def test_english_is_about_three_quarters_of_a_token_per_character_group():
    assert estimate_text_tokens("") == 0
    assert estimate_text_tokens("Hello, world!") == 4
    text = "The quick brown fox jumps over the lazy dog. " * 10
    assert 90 <= estimate_text_tokens(text) <= 120


def test_long_words_and_other_scripts_cost_more():
    assert estimate_text_tokens("internationalization") > 1
    assert estimate_text_tokens("日本語のテキスト") == 8


def test_content_parts_and_message_framing_count():
    parts = [{"type": "text", "text": "look"}, {"type": "image_url", "image_url": {"url": "x"}}]
    assert content_text(parts) == "look"
    assert estimate_prompt_tokens([{"role": "user", "content": parts}]) == 3 + 3 + 1


def test_long_texts_are_counted_as_the_pieces_are():
    import random
    import re

    from routing import tokens

    pieces = re.compile(r"[A-Za-z]+|\d{1,3}|[^\sA-Za-z\d]", re.ASCII)

    def piece_by_piece(text):
        return sum(1 + (len(p) - 1) // 6 if p.isalpha() else 1 for p in pieces.findall(text))

    rng = random.Random(3)
    alphabet = [*"abcXYZ0123456789 \n\t\r\x0b\x0c\x1c.,;:!?-_()'\"", "\u00e9", "\u0436", "\u4e2d", "\u00a0", "\ud800",
                "\U0001f600", "internationalization", "12345678901"]  # fmt: skip
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(tokens._BY_ARRAY, 3 * tokens._BY_ARRAY)))
        assert estimate_text_tokens(text) == piece_by_piece(text)
    for text in ["a" * 100_000, "7" * 100_001, ("word " * 20 + "x" * 5000) * 10]:
        assert estimate_text_tokens(text) == piece_by_piece(text)
