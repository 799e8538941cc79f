import gc

from core.runtime import freeze_heap


def test_freeze_heap_moves_what_exists_out_of_the_collectors_generations():
    gc.unfreeze()
    kept = [[index] for index in range(1000)]  # container objects the collector tracks
    try:
        frozen = freeze_heap()
        assert frozen >= len(kept)
        # A full collection would walk none of it: it is in no generation any more.
        assert not any(any(item is kept[0] for item in gc.get_objects(generation)) for generation in range(3))
    finally:
        gc.unfreeze()
