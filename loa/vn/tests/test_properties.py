from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loa.vn import find_dates, parse_date, restore

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậếềểễệốồổỗộớờởỡợứừửữựíìỉĩịýỳỷỹỵ"
noisy_text = st.text(
    alphabet=st.sampled_from(
        list(VIETNAMESE + VIETNAMESE.upper() + " \n\t.,;:-/()0123456789¢€§¥&’|")
    ),
    max_size=200,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_restore_never_crashes_and_keeps_line_count_on_any_text(text):
    out = restore(text)
    assert isinstance(out, str)
    assert out.count("\n") == text.count("\n")


@settings(max_examples=150, deadline=None)
@given(noisy_text)
def test_restore_keeps_line_count_on_noisy_vietnamese(text):
    assert restore(text).count("\n") == text.count("\n")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_date_parsing_never_crashes(text):
    value = parse_date(text)
    assert value is None or value in find_dates(text)
