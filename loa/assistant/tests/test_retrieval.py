"""Tests of loa.assistant.retrieval: small corpora, no database, no model download."""

from __future__ import annotations

import hashlib
import re

import bm25s
import numpy as np
import pytest

from loa.assistant.retrieval import (
    Passage,
    Retriever,
    document_tokens,
    load_embedder,
    query_tokens,
)
from loa.assistant.retrieval import retriever as retriever_module
from loa.assistant.retrieval.lexical import Vocabulary, bag_of, build, concatenate
from loa.vn import fold_lower

VNEID_2 = Passage(
    id="guide:vneid#2",
    doc_id="guide:vneid",
    title="Hướng dẫn VNeID › Kích hoạt tài khoản mức 2",
    text="Để kích hoạt tài khoản định danh điện tử mức 2, công dân mang căn cước "
    "đến công an phường để được thu nhận ảnh chân dung và vân tay.",
    url="/huong-dan/vneid/#muc-2",
    kind="guide",
)
VNEID_1 = Passage(
    id="guide:vneid#1",
    doc_id="guide:vneid",
    title="Hướng dẫn VNeID › Đăng ký tài khoản mức 1",
    text="Tải ứng dụng VNeID, nhập số định danh cá nhân và số điện thoại để đăng ký "
    "tài khoản mức 1 trên điện thoại.",
    kind="guide",
)
CDS_PHRASE = Passage(
    id="doc:plan#1",
    doc_id="doc:plan",
    title="Kế hoạch của phường",
    text="Phường đẩy mạnh chuyển đổi số trong mọi lĩnh vực đời sống.",
    kind="plan",
)
DVC_ABBR = Passage(
    id="faq:3:q0",
    doc_id="faq:3",
    title="Hỏi đáp",
    text="Người dân có thể nộp hồ sơ qua Cổng DVC quốc gia mà không cần đến trụ sở.",
    kind="faq",
)
NQ57 = Passage(
    id="doc:nq57#0",
    doc_id="doc:nq57",
    title="Nghị quyết số 57-NQ/TW",
    text="Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số "
    "quốc gia, ban hành ngày 22 tháng 12 năm 2024.",
    kind="doc",
)
NQ52 = Passage(
    id="doc:nq52#0",
    doc_id="doc:nq52",
    title="Nghị quyết số 52-NQ/TW",
    text="Về một số chủ trương, chính sách chủ động tham gia cuộc Cách mạng công nghiệp "
    "lần thứ tư.",
    kind="doc",
)
MARKET = Passage(
    id="guide:market#1",
    doc_id="guide:market",
    title="Bán hàng trên mạng",
    text="Khi bán hàng trên mạng, hãy kiểm tra kỹ người mua trước khi giao hàng.",
    kind="guide",
)

CORPUS = [VNEID_2, VNEID_1, CDS_PHRASE, DVC_ABBR, NQ57, NQ52, MARKET]


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    r = Retriever()
    r.upsert(CORPUS)
    return r


def ids(hits) -> list[str]:
    return [h.passage.id for h in hits]


class FakeEmbedder:
    """Hashes folded syllables into 64 dimensions; "smartphone" means "điện thoại"."""

    synonyms = {"smartphone": "dien thoai"}

    def __init__(self):
        self.calls = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        rows = np.zeros((len(texts), 64), dtype=np.float32)
        for i, text in enumerate(texts):
            folded = fold_lower(text)
            for word, meaning in self.synonyms.items():
                folded = folded.replace(word, meaning)
            for syllable in re.findall(r"\w+", folded):
                digest = hashlib.md5(syllable.encode(), usedforsecurity=False).digest()
                rows[i, digest[0] % 64] += 1.0
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return rows / norms


# -- tokens ----------------------------------------------------------------------------


def test_query_without_diacritics_emits_no_exact_forms():
    tokens = query_tokens("kich hoat vneid muc 2")
    assert "kich" in tokens and "kich_hoat" in tokens
    assert not [t for t in tokens if t.startswith("=")]


def test_query_with_diacritics_emits_exact_forms():
    assert "=kích" in query_tokens("Kích hoạt VNeID")


def test_exact_forms_normalise_tone_placement():
    assert "=hòa" in document_tokens("hoà giải", segment_words=False)
    assert "=hòa" in query_tokens("hòa giải")


def test_one_letter_syllables_are_kept():
    tokens = query_tokens("Ở đâu có ý kiến")
    assert {"o", "y", "=ở", "=ý"} <= set(tokens)


def test_both_spellings_of_i_and_y_meet():
    """ "kí tự" and "ký tự", "lí do" and "lý do", "tỉ lệ" and "tỷ lệ" are one word to a resident."""
    for typed, written in (("kí tự", "ký tự"), ("li do", "lý do"), ("tỉ lệ", "tỷ lệ")):
        assert set(query_tokens(typed)) & set(
            document_tokens(written, segment_words=False)
        )
        assert "ki" in query_tokens("ký") and "ki" in query_tokens("ki")
    assert "tuy" in query_tokens("tùy")  # "uy" is a vowel pair, not the i/y spelling


def test_resolution_57_is_reached_from_every_spelling():
    for text in ("NQ57", "nq 57", "57-NQ/TW", "Nghị quyết số 57", "nghi quyet 57"):
        assert "nq:57" in query_tokens(text), text


def test_lowercase_ai_is_a_word_but_capital_ai_is_an_abbreviation():
    assert "#tri_tue_nhan_tao" not in query_tokens("ai chủ trì")
    assert "#tri_tue_nhan_tao" in query_tokens("ứng dụng AI")


def test_document_tokens_include_long_underthesea_words():
    assert "ho_chi_minh" in document_tokens("Thành phố Hồ Chí Minh triển khai")


# -- search ----------------------------------------------------------------------------


def test_query_without_diacritics_finds_the_passage_with_diacritics(retriever):
    hits = retriever.search("kich hoat vneid muc 2")
    assert hits[0].passage == VNEID_2


def test_query_with_diacritics_prefers_exact_forms_when_folded_forms_collide():
    rent = Passage(
        id="rent", doc_id="rent", title="Thuê nhà", text="Thủ tục thuê nhà ở."
    )
    tax = Passage(id="tax", doc_id="tax", title="Thuế nhà", text="Thủ tục thuế nhà ở.")
    r = Retriever()
    r.upsert([rent, tax])
    assert ids(r.search("thuế nhà")) == ["tax", "rent"]
    assert ids(r.search("thuê nhà")) == ["rent", "tax"]
    folded = r.search("thue nha")
    assert len(folded) == 2 and folded[0].score == pytest.approx(folded[1].score)


def test_abbreviation_query_finds_the_full_phrase(retriever):
    assert retriever.search("CĐS là gì")[0].passage == CDS_PHRASE
    assert retriever.search("cds la gi")[0].passage == CDS_PHRASE


def test_full_phrase_query_finds_the_abbreviation(retriever):
    assert retriever.search("dịch vụ công quốc gia")[0].passage == DVC_ABBR
    assert retriever.search("DVC")[0].passage == DVC_ABBR


def test_resolution_number_query_finds_the_resolution(retriever):
    for query in ("NQ57", "nq 57", "Nghị quyết 57", "57-NQ/TW"):
        assert retriever.search(query)[0].passage == NQ57, query
    assert retriever.search("NQ52")[0].passage == NQ52


def test_one_letter_syllable_counts_in_search():
    r = Retriever()
    r.upsert(
        [
            Passage(id="y", doc_id="y", title="", text="Góp ý kiến về dự thảo"),
            Passage(id="k", doc_id="k", title="", text="Kiến thức về dự thảo"),
        ]
    )
    assert ids(r.search("góp ý"))[0] == "y"
    assert ids(r.search("y kien"))[0] == "y"


def test_unrelated_query_returns_no_hits(retriever):
    assert retriever.search("xem bóng đá world cup") == []


def test_hits_have_positive_scores_and_ranks(retriever):
    hits = retriever.search("tài khoản định danh")
    assert hits
    assert all(h.score > 0 and h.bm25 > 0 for h in hits)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_coverage_is_the_share_of_content_syllables_found(retriever):
    # Content syllables: kích, hoạt, tài, khoản, ngân, hàng ("ở", "đâu" are stop words).
    hit = next(
        h
        for h in retriever.search("kích hoạt tài khoản ngân hàng ở đâu")
        if h.passage == VNEID_2
    )
    assert hit.coverage == pytest.approx(4 / 6)
    assert retriever.search("kich hoat vneid muc 2")[0].coverage == 1.0


def test_coverage_counts_an_abbreviation_found_written_out(retriever):
    assert retriever.search("CĐS")[0].coverage == 1.0


def test_kinds_filter_limits_results(retriever):
    hits = retriever.search("chuyển đổi số", kinds={"plan"})
    assert ids(hits) == [CDS_PHRASE.id]
    assert retriever.search("chuyển đổi số", kinds=set()) == []


def test_empty_index_returns_no_hits():
    assert Retriever().search("chuyển đổi số") == []


def test_empty_query_returns_no_hits(retriever):
    assert retriever.search("  ") == []
    assert retriever.search("?!") == []


def test_k_limits_the_number_of_hits(retriever):
    assert len(retriever.search("số", k=2)) == 2


# -- changes ---------------------------------------------------------------------------


def test_upsert_replaces_a_passage_with_the_same_id():
    r = Retriever()
    r.upsert(CORPUS)
    r.upsert(
        [
            Passage(
                id=MARKET.id, doc_id=MARKET.doc_id, title="Chợ", text="Mua rau ở chợ."
            )
        ]
    )
    assert len(r) == len(CORPUS)
    assert MARKET.id not in ids(r.search("bán hàng trên mạng"))
    assert ids(r.search("mua rau")) == [MARKET.id]
    assert r.get(MARKET.id).title == "Chợ"


def test_delete_by_doc_id_removes_every_passage_of_the_document():
    r = Retriever()
    r.upsert(CORPUS)
    r.delete(doc_ids=["guide:vneid"])
    assert len(r) == len(CORPUS) - 2
    assert r.get(VNEID_1.id) is None
    assert not [h for h in r.search("vneid") if h.passage.doc_id == "guide:vneid"]


def test_delete_by_id_removes_that_passage_only():
    r = Retriever()
    r.upsert(CORPUS)
    r.delete(ids=[VNEID_1.id, "missing"])
    assert r.get(VNEID_1.id) is None and r.get(VNEID_2.id) is not None


def test_search_does_not_rebuild_when_nothing_changed():
    r = Retriever()
    r.upsert(CORPUS)
    r.search("vneid")
    built = r._built
    r.search("chuyển đổi số")
    r.upsert([VNEID_1])  # unchanged passage
    r.search("vneid")
    assert r._built is built


def test_unknown_kind_is_rejected():
    with pytest.raises(ValueError, match="kind"):
        Retriever().upsert(
            [Passage(id="x", doc_id="x", title="", text="x", kind="blog")]
        )


def test_invalid_configuration_is_rejected():
    with pytest.raises(ValueError):
        Retriever(k1=0)
    with pytest.raises(ValueError):
        Retriever(b=1.5)


def test_bm25_weights_equal_bm25s_own_index():
    docs = [document_tokens(p.indexed_text, segment_words=False) for p in CORPUS]
    vocabulary = Vocabulary()
    bags = [bag_of(d, vocabulary) for d in docs]
    matrix = build(*concatenate(bags), num_tokens=len(vocabulary), k1=1.2, b=0.75)
    reference = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    reference.index(
        ([[vocabulary.get(t) for t in d] for d in docs], dict(vocabulary.ids)),
        create_empty_token=False,
        show_progress=False,
    )
    for query in ("chuyển đổi số", "kich hoat vneid"):
        token_ids = sorted(
            {i for t in query_tokens(query) if (i := vocabulary.get(t)) is not None}
        )
        ours = matrix.scores(
            np.asarray(token_ids), np.ones(len(token_ids), dtype=np.float32)
        )
        theirs = reference.get_scores(token_ids)
        np.testing.assert_allclose(ours, theirs, rtol=1e-5)


# -- persistence -----------------------------------------------------------------------


def test_saved_index_loads_with_the_same_results_without_tokenising(
    tmp_path, monkeypatch
):
    r = Retriever(index_dir=tmp_path)
    r.upsert(CORPUS)
    r.save()
    expected = [
        (ids(r.search(q)), [h.score for h in r.search(q)]) for q in ("NQ57", "vneid")
    ]

    def no_tokenising(*args, **kwargs):
        raise AssertionError("loading must not tokenise")

    monkeypatch.setattr(retriever_module, "document_tokens", no_tokenising)
    loaded = Retriever(index_dir=tmp_path)
    assert len(loaded) == len(CORPUS)
    assert loaded.get(VNEID_2.id) == VNEID_2
    assert [
        (ids(loaded.search(q)), [h.score for h in loaded.search(q)])
        for q in ("NQ57", "vneid")
    ] == expected


def test_save_switches_versions_atomically_and_keeps_two(tmp_path):
    r = Retriever(index_dir=tmp_path)
    for i in range(4):
        r.upsert([Passage(id=f"p{i}", doc_id="d", title="", text=f"đoạn {i}")])
        r.save()
    assert (tmp_path / "CURRENT").read_text().strip() == "4"
    assert sorted(p.name for p in tmp_path.glob("v*")) == ["v00000003", "v00000004"]


def test_refresh_picks_up_another_instances_save(tmp_path):
    reader = Retriever(index_dir=tmp_path)
    assert reader.refresh() is False
    writer = Retriever(index_dir=tmp_path)
    writer.upsert(CORPUS)
    writer.save()
    assert reader.search("NQ57") == []
    assert reader.refresh() is True
    assert reader.search("NQ57")[0].passage == NQ57
    assert reader.refresh() is False
    writer.delete(doc_ids=["doc:nq57"])
    writer.save()
    assert reader.refresh() is True
    assert NQ57.id not in ids(reader.search("NQ57"))


def test_save_without_index_dir_is_an_error():
    with pytest.raises(ValueError, match="index_dir"):
        Retriever().save()


# -- dense -----------------------------------------------------------------------------


def test_dense_retrieval_finds_what_no_token_matches_and_fuses_ranks():
    r = Retriever(embedder=FakeEmbedder())
    r.upsert(CORPUS)
    hits = r.search("smartphone")
    assert hits[0].passage == VNEID_1
    assert hits[0].bm25 == 0.0
    assert hits[0].score == pytest.approx(1 / 61)


def test_dense_and_lexical_agreement_ranks_first():
    r = Retriever(embedder=FakeEmbedder())
    r.upsert(CORPUS)
    hits = r.search("kich hoat vneid muc 2")
    assert hits[0].passage == VNEID_2
    assert hits[0].score == pytest.approx(2 / 61)
    assert hits[0].bm25 > 0


def test_embeddings_are_saved_and_not_recomputed_at_load(tmp_path):
    r = Retriever(index_dir=tmp_path, embedder=FakeEmbedder())
    r.upsert(CORPUS)
    r.save()
    embedder = FakeEmbedder()
    loaded = Retriever(index_dir=tmp_path, embedder=embedder)
    assert embedder.calls == 0
    assert loaded.search("smartphone")[0].passage == VNEID_1


def test_load_embedder_without_a_path_gives_none():
    assert load_embedder(None) is None
    assert load_embedder("") is None


def test_load_embedder_with_a_missing_directory_gives_none():
    assert load_embedder("/nonexistent/model") is None


def test_replace_keeps_only_the_given_passages_of_the_document(monkeypatch):
    r = Retriever()
    r.upsert(CORPUS)
    calls = []
    original = retriever_module.document_tokens

    def counting(text, **kwargs):
        calls.append(text)
        return original(text, **kwargs)

    monkeypatch.setattr(retriever_module, "document_tokens", counting)
    r.replace(doc_id="guide:vneid", passages=[VNEID_2])
    assert r.get(VNEID_1.id) is None and r.get(VNEID_2.id) == VNEID_2
    assert calls == []  # VNEID_2 was unchanged
    with pytest.raises(ValueError):
        r.replace(doc_id="other", passages=[VNEID_2])
