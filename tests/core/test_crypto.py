import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from core import crypto


@pytest.fixture
def keys(settings):
    def use(*values):
        settings.FIELD_ENCRYPTION_KEYS = list(values)
        crypto._fernet.cache_clear()

    yield use
    crypto._fernet.cache_clear()


def test_round_trip_and_rotation(keys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    keys(old)
    token = crypto.encrypt("sk-secret")
    assert "sk-secret" not in token
    keys(new, old)
    assert crypto.decrypt(token) == "sk-secret", "old ciphertext still reads after a new key is prepended"
    keys(new)
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(token)


def test_a_malformed_key_is_a_configuration_error(keys):
    keys("not-a-fernet-key")
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
