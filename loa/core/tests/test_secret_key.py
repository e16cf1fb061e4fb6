"""No install runs on a key written in the code: a generated key file, or SECRET_KEY."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from loa.settings.base import secret_key_from_data_dir

MAIN_DIR = Path(__file__).resolve().parents[3]


def test_first_start_makes_a_random_private_key_and_keeps_it(tmp_path):
    path = tmp_path / "secret_key"
    key = secret_key_from_data_dir(path)
    assert len(key) >= 80 and key != "loa-dev-only-secret-key-change-me"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key_from_data_dir(path) == key
    assert secret_key_from_data_dir(tmp_path / "other") != key


def test_an_emptied_key_file_is_a_clear_error_not_a_weak_key(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("\n")
    with pytest.raises(ImproperlyConfigured, match="Tệp khóa bí mật"):
        secret_key_from_data_dir(path)


def _settings_value(
    tmp_path, module: str, extra_env: dict
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY",)}
    env.update(LOA_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE=module, **extra_env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.SECRET_KEY)",
        ],
        cwd=MAIN_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_run_settings_use_the_data_dirs_key(tmp_path):
    result = _settings_value(tmp_path, "loa.settings.base", {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (tmp_path / "secret_key").read_text().strip()


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = _settings_value(tmp_path, "loa.settings.production", {})
    assert result.returncode != 0
    assert "Thiếu biến môi trường SECRET_KEY" in result.stderr


def test_production_takes_the_key_from_the_environment(tmp_path):
    key = "k" * 60
    result = _settings_value(tmp_path, "loa.settings.production", {"SECRET_KEY": key})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key
