from routing.shield.excerpt import Excerpts


def test_the_masks_are_listed_once_and_only_when_an_excerpt_is_made():
    text = "write to bob@example.com or call me"
    calls = []

    def masks():
        calls.append(1)
        return [(9, 24, "EMAIL", "[EMAIL]")]

    excerpts = Excerpts(text, masks)
    assert calls == []
    assert excerpts.excerpt_for(0, 5) == "write to [EMAIL] or call me"
    assert excerpts.excerpt_for(28, 32) == "write to [EMAIL] or call me"
    assert calls == [1]
