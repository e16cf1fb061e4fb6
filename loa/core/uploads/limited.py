"""Child processes under limits: run_limited, and pypdf through it (pdf_page_texts)."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys

from .errors import UploadError
from .size import MB

# PDF text layer: the seed plans parse in well under a second; a page built to make pypdf
# spin (millions of text operators in a small compressed stream) is stopped here.
PDF_TIMEOUT_SECONDS = 60
PDF_CPU_SECONDS = 60
PDF_MEMORY_BYTES = 1024 * MB
# OCR tools (pdftoppm at 300 dpi, tesseract): memory and the size of each page image.
TOOL_MEMORY_BYTES = 2048 * MB
TOOL_FILE_BYTES = 512 * MB


# Runs first in every limited child: set the limits, then become the real program.
_LIMITS = (
    "import os,resource,sys\n"
    "a,c,f=(int(x) for x in sys.argv[1:4])\n"
    "resource.setrlimit(resource.RLIMIT_CORE,(0,0))\n"
    "a>0 and resource.setrlimit(resource.RLIMIT_AS,(a,a))\n"
    "c>0 and resource.setrlimit(resource.RLIMIT_CPU,(c,c+1))\n"
    "f>=0 and resource.setrlimit(resource.RLIMIT_FSIZE,(f,f))\n"
    "os.execv(sys.argv[4],sys.argv[4:])\n"
)


class LimitExceeded(UploadError):
    """A child process ran out of its time or memory."""


def _time_limit_error(seconds: float) -> LimitExceeded:
    return LimitExceeded(
        f"Tệp cần quá nhiều thời gian để đọc (vượt {math.ceil(seconds)} giây cho phép), "
        "có thể tệp bị hỏng hoặc được tạo để làm treo hệ thống.",
        code="parse_limit",
    )


def run_limited(
    argv: list[str],
    *,
    input: bytes | None = None,  # noqa: A002 - the name subprocess uses
    timeout: float,
    memory_bytes: int = 0,
    cpu_seconds: float = 0,
    file_bytes: int = -1,
    env: dict | None = None,
) -> subprocess.CompletedProcess:
    """Run a program with an address-space, CPU-time and file-size limit and a wall clock.

    The limits are set in the child by a tiny Python prelude that then execs the program
    (no preexec_fn, which is unsafe in a threaded web process). On timeout the child's
    whole process group is killed and ``LimitExceeded`` is raised; a child killed by its
    CPU limit raises it too. Other failures come back as the return code.
    """
    cpu = math.ceil(cpu_seconds) if cpu_seconds else 0
    command = [
        sys.executable,
        "-I",
        "-S",
        "-c",
        _LIMITS,
        str(int(memory_bytes)),
        str(cpu),
        str(int(file_bytes)),
        *argv,
    ]
    try:
        process = subprocess.Popen(  # noqa: S603 - fixed argv built by the caller, no shell
            command,
            stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        raise UploadError(
            "Máy chủ không chạy được công cụ đọc tệp.", code="tool_unavailable"
        ) from exc
    try:
        stdout, _ = process.communicate(input, timeout=max(timeout, 0.01))
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise _time_limit_error(timeout) from exc
    except BaseException:
        _kill_group(process)
        raise
    if process.returncode in (-signal.SIGXCPU, -signal.SIGKILL) and cpu:
        raise _time_limit_error(cpu)
    return subprocess.CompletedProcess(command, process.returncode, stdout, b"")


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()
    process.wait()


# The PDF child: pypdf only, no Django; reads the PDF on stdin, writes JSON on stdout.
_PDF_WORKER = r"""
import io, json, logging, sys
logging.disable(logging.CRITICAL)
def main():
    data = sys.stdin.buffer.read()
    try:
        from pypdf import PdfReader
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                return {"error": "encrypted"}
        return {"pages": [page.extract_text() or "" for page in reader.pages]}
    except MemoryError:
        return {"error": "memory"}
    except Exception:
        return {"error": "corrupt"}
sys.stdout.write(json.dumps(main()))
"""


def pdf_page_texts(
    data: bytes,
    *,
    timeout: float | None = None,
    cpu_seconds: float | None = None,
    memory_bytes: int | None = None,
) -> list[str]:
    """The text layer of each page of a PDF, read by pypdf in a limited child process.

    Raises UploadError with code "encrypted" (a user password), "corrupt" (pypdf could
    not read it), "memory" or "parse_limit" (the child hit its limits).
    """
    timeout = PDF_TIMEOUT_SECONDS if timeout is None else timeout
    result = run_limited(
        [sys.executable, "-I", "-c", _PDF_WORKER],
        input=data,
        timeout=timeout,
        cpu_seconds=PDF_CPU_SECONDS if cpu_seconds is None else cpu_seconds,
        memory_bytes=PDF_MEMORY_BYTES if memory_bytes is None else memory_bytes,
        file_bytes=0,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"},
    )
    try:
        answer = json.loads(result.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        answer = {"error": "memory" if result.returncode else "corrupt"}
    if "pages" in answer and isinstance(answer["pages"], list):
        return [str(page) for page in answer["pages"]]
    if answer.get("error") == "encrypted":
        raise UploadError(
            "Tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.",
            code="encrypted",
        )
    if answer.get("error") == "memory":
        raise LimitExceeded(
            "Tệp PDF cần quá nhiều bộ nhớ để đọc, có thể tệp bị hỏng hoặc được tạo để làm "
            "treo hệ thống.",
            code="parse_limit",
        )
    raise UploadError(
        "Tệp PDF bị hỏng hoặc không đúng định dạng, không đọc được.", code="corrupt"
    )
