from loa.vn import ABBREVIATIONS, abbreviation_lookup, expand_abbreviations


def test_common_abbreviations_are_known():
    for key in [
        "UBND",
        "HĐND",
        "KH",
        "NQ",
        "TW",
        "NĐ",
        "CP",
        "QĐ",
        "KHCN",
        "ĐMST",
        "CĐS",
        "DVC",
        "DVCTT",
        "TTHC",
        "MTTQ",
        "UBMTTQ",
        "VHXH",
        "BCH",
        "BCĐ",
        "CNTT",
        "TDP",
        "VNeID",
        "CCCD",
        "THCS",
        "THPT",
        "KT-XH",
    ]:
        assert key in ABBREVIATIONS


def test_lookup_matches_without_diacritics():
    assert abbreviation_lookup("CDS") == "CĐS"
    assert abbreviation_lookup("DMST") == "ĐMST"
    assert abbreviation_lookup("HDND") == "HĐND"


def test_lookup_is_case_insensitive_with_diacritics():
    assert abbreviation_lookup("cđs") == "CĐS"
    assert abbreviation_lookup("ubnd") == "UBND"


def test_lookup_of_unknown_token_is_none():
    assert abbreviation_lookup("XYZQ") is None
    assert abbreviation_lookup("") is None


def test_dich_vu_cong_expands_to_public_service():
    assert ABBREVIATIONS["DVC"] == "dịch vụ công"
    assert ABBREVIATIONS["TDP"] == "tổ dân phố"


def test_expand_replaces_capitalised_abbreviations():
    text = expand_abbreviations("UBND phường triển khai CĐS và ĐMST")
    assert text == "Ủy ban nhân dân phường triển khai chuyển đổi số và đổi mới sáng tạo"


def test_expand_leaves_lowercase_words_alone():
    assert expand_abbreviations("ai cũng biết") == "ai cũng biết"
