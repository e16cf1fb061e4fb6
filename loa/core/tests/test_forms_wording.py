"""What Django leaves in English in a form, Loa words in Vietnamese."""

from django import forms

from loa.core.models import Unit


class _UnitForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "Áp phích")])


def test_a_blank_choice_reads_chon_not_dashes():
    html = str(_UnitForm())
    assert "---------" not in html
    assert html.count("— Chọn —") == 2
    assert "Áp phích" in html  # other choices keep their words
