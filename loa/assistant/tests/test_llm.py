"""The optional language model: used when it answers, ignored when it fails or is slow."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from loa.assistant.llm import LLMConfig, build_messages, llm_complete
from loa.assistant.services import question_answer


class FakeLLM(BaseHTTPRequestHandler):
    mode = "ok"
    requests: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeLLM.requests.append((self.path, body))
        if FakeLLM.mode == "slow":
            time.sleep(2)
        if FakeLLM.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        reply = {
            "choices": [
                {
                    "message": {
                        "role": "assistant",
                        "content": "Bạn mang thẻ căn cước đến công an phường để kích hoạt [1].",
                    }
                }
            ]
        }
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def llm_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeLLM.mode, FakeLLM.requests = "ok", []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_client_posts_an_openai_chat_request(llm_server):
    config = LLMConfig(url=llm_server, model="qwen2.5", timeout=2)
    text = llm_complete(config, build_messages("hỏi", [("Tiêu đề", "Nội dung")]))
    path, body = FakeLLM.requests[0]
    assert text.startswith("Bạn mang thẻ")
    assert path == "/v1/chat/completions" and body["model"] == "qwen2.5"
    assert "[1] Tiêu đề" in body["messages"][1]["content"]


@pytest.mark.django_db
def test_model_writes_the_answer_from_passages_and_keeps_citations(
    llm_server, settings, small_kb
):
    settings.LOA_LLM_URL, settings.LOA_LLM_MODEL = llm_server, "qwen2.5"
    result = question_answer(question="kích hoạt VNeID mức 2 ở đâu")
    assert result.answer.kind == "llm"
    assert "công an phường" in result.answer.text
    assert result.answer.citations and "VNeID" in result.answer.citations[0].title


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["error", "slow"])
def test_model_failure_or_timeout_falls_back_to_the_extractive_answer(
    llm_server, settings, small_kb, mode
):
    FakeLLM.mode = mode
    settings.LOA_LLM_URL, settings.LOA_LLM_MODEL, settings.LOA_LLM_TIMEOUT = (
        llm_server,
        "qwen2.5",
        0.5,
    )
    result = question_answer(question="kích hoạt VNeID mức 2 ở đâu")
    assert result.answer.kind == "extractive" and result.answer.answered
    assert "công an" in result.answer.text


@pytest.mark.django_db
def test_unreachable_model_falls_back(settings, small_kb):
    settings.LOA_LLM_URL, settings.LOA_LLM_MODEL, settings.LOA_LLM_TIMEOUT = (
        "http://127.0.0.1:9",
        "m",
        0.5,
    )
    assert (
        question_answer(question="kích hoạt VNeID mức 2 ở đâu").answer.kind
        == "extractive"
    )
