import pytest
from django.conf import settings
from django.db import connection

from core.embedded_db import EmbeddedServer, ensure_running


def test_the_tests_run_on_postgresql_with_pgvector_0_8(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        (version,) = cursor.fetchone()
    assert tuple(int(p) for p in version.split(".")[:2]) >= (0, 8)


@pytest.mark.skipif(settings.NR_EMBEDDED_DB is None, reason="DATABASE_URL is set: the embedded server is not used")
def test_a_second_process_finds_the_running_server_instead_of_starting_one():
    again = ensure_running(settings.VAR_DIR)
    assert not again.started_here
    assert again.socket_dir == settings.NR_EMBEDDED_DB.socket_dir


def test_the_url_round_trips_through_the_settings_parser(tmp_path):
    import dj_database_url

    server = EmbeddedServer(data_dir=tmp_path, socket_dir=tmp_path / "sock dir", started_here=False)
    parsed = dj_database_url.parse(server.url())
    assert parsed["HOST"] == str(tmp_path / "sock dir") and parsed["NAME"] == "neuralrouting"
