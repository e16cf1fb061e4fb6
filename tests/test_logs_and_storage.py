"""Structured logs without personal numbers, and uploads refused cleanly on a full disk."""

import errno
import io
import json
import logging

import pytest
from django.core.files.base import ContentFile

from loa.core.logs import JsonFormatter, RedactFilter
from loa.core.storage import DiskFullError, LoaFileSystemStorage


def _logger(formatter=None):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter())
    if formatter is not None:
        handler.setFormatter(formatter)
    logger = logging.getLogger(f"loa.test.logs.{id(stream)}")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger, stream


def test_json_lines_carry_no_phone_or_id_card_number():
    logger, stream = _logger(
        JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    logger.info("Người dân gọi %s, CCCD %s", "0912 345 678", "001203004567")
    try:
        raise ValueError("số CMND 123456789 không hợp lệ")
    except ValueError:
        logger.exception("Lỗi khi ghi hồ sơ của 0987654321")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "Người dân gọi [số điện thoại], CCCD [số định danh]"
    assert first["levelname"] == "INFO"
    assert second["message"] == "Lỗi khi ghi hồ sơ của [số điện thoại]"
    assert "[số định danh]" in second["exc_info"]
    text = stream.getvalue()
    for number in ("0912 345 678", "001203004567", "123456789", "0987654321"):
        assert number not in text
    assert "Người dân" in text  # Vietnamese stays readable, not \\u-escaped


def test_plain_lines_are_redacted_too():
    logger, stream = _logger(logging.Formatter("%(message)s"))
    logger.warning("Liên hệ +84 912 345 678 hoặc a.b@example.vn")
    assert stream.getvalue().strip() == "Liên hệ [số điện thoại] hoặc [thư điện tử]"


def test_log_format_json_switches_the_console_handler(monkeypatch):
    import importlib

    import loa.settings.base as base

    monkeypatch.setenv("LOA_LOG_FORMAT", "json")
    try:
        console = importlib.reload(base).LOGGING["handlers"]["console"]
        assert console["formatter"] == "json"
        assert console["filters"] == ["redact"]
    finally:
        monkeypatch.delenv("LOA_LOG_FORMAT")
        importlib.reload(base)
    assert "formatter" not in base.LOGGING["handlers"]["console"]


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_gunicorns_access_and_error_lines_are_redacted(
    tmp_path, monkeypatch, log_format
):
    from gunicorn.config import Config

    from loa.ops.gunicorn_logger import RedactingLogger

    monkeypatch.setenv("LOA_LOG_FORMAT", log_format)
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("errorlog", str(tmp_path / "error.log"))
    logger = RedactingLogger(config)
    # What gunicorn writes for a resident's search (its access line is a format string).
    logger.access_log.info(
        '%s "%s"', "127.0.0.1", "GET /search/?q=0912345678+001203004567 HTTP/1.1"
    )
    logger.error("Worker lỗi khi đọc hồ sơ của 0987 654 321")
    for handler in (*logger.access_log.handlers, *logger.error_log.handlers):
        handler.flush()
    access = (tmp_path / "access.log").read_text()
    error = (tmp_path / "error.log").read_text()
    for number in ("0912345678", "001203004567", "0987 654 321"):
        assert number not in access + error
    assert "/search/?q=" in access
    assert "[số điện thoại]" in access and "[số định danh]" in access
    assert "[số điện thoại]" in error
    if log_format == "json":
        assert json.loads(error.splitlines()[-1])["level"] == "ERROR"


class _FillsTheDisk(ContentFile):
    """Content whose second chunk no longer fits on the disk."""

    def chunks(self, chunk_size=None):
        yield b"x" * 1024
        raise OSError(errno.ENOSPC, "No space left on device")


def test_full_disk_refuses_the_upload_in_vietnamese_and_keeps_stored_files(tmp_path):
    storage = LoaFileSystemStorage(location=tmp_path)
    stored = storage.save("evidence/1/old.pdf", ContentFile(b"%PDF-1.4 old"))
    with pytest.raises(DiskFullError) as caught:
        storage.save("evidence/1/new.pdf", _FillsTheDisk(b"", name="new.pdf"))
    assert "hết dung lượng" in caught.value.messages[0]
    assert caught.value.code == "disk_full"
    assert sorted(p.name for p in (tmp_path / "evidence" / "1").iterdir()) == [
        "old.pdf"
    ]
    assert (tmp_path / stored).read_bytes() == b"%PDF-1.4 old"


def test_other_storage_errors_are_not_hidden(tmp_path):
    class Broken(ContentFile):
        def chunks(self, chunk_size=None):
            raise OSError(errno.EIO, "I/O error")

    with pytest.raises(OSError) as caught:
        LoaFileSystemStorage(location=tmp_path).save("a.bin", Broken(b""))
    assert not isinstance(caught.value, DiskFullError)
    assert caught.value.errno == errno.EIO
