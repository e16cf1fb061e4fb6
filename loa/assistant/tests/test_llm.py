"""The optional language model: used when it answers, ignored when it fails or is slow."""

import pytest

from loa.assistant.llm import LLMConfig, build_messages, llm_complete
from loa.assistant.services import question_answer
from loa.core.testing.platforms import PlatformImitation

REPLY = {
    "choices": [
        {
            "message": {
                "role": "assistant",
                "content": "Bạn mang thẻ căn cước đến công an phường để kích hoạt [1].",
            }
        }
    ]
}


@pytest.fixture
def llm():
    """An OpenAI-compatible chat endpoint that answers every request with REPLY."""
    imitation = PlatformImitation({"*": REPLY}).start()
    yield imitation
    imitation.stop()


@pytest.fixture
def llm_server(llm):
    return llm.url


def test_client_posts_an_openai_chat_request(llm, llm_server):
    config = LLMConfig(url=llm_server, model="qwen2.5", timeout=2)
    text = llm_complete(config, build_messages("hỏi", [("Tiêu đề", "Nội dung")]))
    path, body = llm.requests[0]["path"], llm.requests[0]["json"]
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
    llm, llm_server, settings, small_kb, mode
):
    if mode == "error":
        llm.answer_next(None, 500)
    else:
        llm.delay = 2  # past the 0.5 s timeout below
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
