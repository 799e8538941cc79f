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
