import pytest

from loa.assistant import index


@pytest.fixture(autouse=True)
def _own_index(settings, tmp_path):
    """Each test gets its own index folder and a fresh retriever."""
    settings.LOA_ASSISTANT_INDEX_DIR = tmp_path / "assistant-index"
    index.forget_retriever()
    yield
    index.forget_retriever()


@pytest.fixture
def lenient_judge(monkeypatch):
    """The answerability threshold at 0.5. The shipped threshold is tuned on the starter
    knowledge base, where a five-passage base's answers score lower; tests on such a base
    are about what happens to an answer (citations, conversations, a model's rewrite) and
    about declining, which a lower threshold only makes harder. The starter base's own
    thresholds are tested in test_starter_kb.py."""
    from dataclasses import replace

    from loa.assistant import answerability

    shipped = answerability.model()
    monkeypatch.setattr(answerability, "model", lambda: replace(shipped, threshold=0.5))


@pytest.fixture
def small_kb(db, django_capture_on_commit_callbacks, lenient_judge):
    """A tiny knowledge base: a VNeID guide, a scam guide and two FAQ entries."""
    from loa.assistant.models import FAQ, KnowledgeDocument
    from loa.assistant.services import document_save, faq_save

    with django_capture_on_commit_callbacks(execute=True):
        document_save(
            doc=KnowledgeDocument(
                external_id="guide-vneid",
                kind="guide",
                title="Hướng dẫn tài khoản định danh điện tử VNeID",
                source="Bộ Công an",
                url="https://vneid.gov.vn",
                lesson_slug="vneid-muc-2",
                text=(
                    "## Tài khoản mức 2\n"
                    "Tài khoản định danh điện tử mức 2 được cấp khi công dân làm thủ tục tại cơ quan công an, "
                    "có đối chiếu khuôn mặt và vân tay.\n\n"
                    "## Các bước kích hoạt mức 2\n"
                    "1. Mang thẻ căn cước đến công an phường nơi cư trú.\n"
                    "2. Cán bộ thu nhận ảnh chân dung và vân tay.\n"
                    "3. Khi nhận tin nhắn kích hoạt, mở ứng dụng VNeID để đăng nhập và đặt mật khẩu.\n"
                ),
            )
        )
        document_save(
            doc=KnowledgeDocument(
                external_id="guide-scam",
                kind="guide",
                title="Nhận biết lừa đảo trực tuyến",
                source="Cục An toàn thông tin",
                text=(
                    "## Giả danh công an\n"
                    "Kẻ gian gọi điện giả danh công an, yêu cầu chuyển tiền để \u201cxác minh\u201d. "
                    "Cơ quan công an không bao giờ yêu cầu chuyển tiền qua điện thoại.\n"
                ),
            )
        )
        faq_save(
            faq=FAQ(
                external_id="faq-dvc",
                topic="dvc",
                question="Cổng Dịch vụ công quốc gia là gì?",
                variants="cong dich vu cong quoc gia la gi\nDVC quốc gia là gì",
                answer="Cổng Dịch vụ công quốc gia là nơi người dân nộp hồ sơ thủ tục hành chính trực tuyến.",
                source="Văn phòng Chính phủ",
                url="https://dichvucong.gov.vn",
            )
        )
        faq_save(
            faq=FAQ(
                external_id="faq-nq57",
                topic="nq57",
                question="Nghị quyết 57-NQ/TW ban hành ngày nào?",
                variants="nghi quyet 57 ban hanh ngay nao\nNQ57 ban hành khi nào",
                answer="Nghị quyết 57-NQ/TW được Bộ Chính trị ban hành ngày 22/12/2024.",
                source="Bộ Chính trị",
            )
        )
    return None
