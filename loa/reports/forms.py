from datetime import date

from django import forms
from django.utils import timezone

from loa.core.models import Unit
from loa.plans.models import Activity

from .models import Commendation, FundingSource, Indicator, ReportDraft
from .selectors import PRESETS, preset_period

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """The dashboard's filter: a period (typed or a preset), a unit or a ward."""

    preset = forms.ChoiceField(
        label="Kỳ", choices=[("", "Tự chọn")] + PRESETS, required=False
    )
    start = forms.DateField(label="Từ ngày", required=False, widget=DATE_INPUT)
    end = forms.DateField(label="Đến ngày", required=False, widget=DATE_INPUT)
    unit = forms.ModelChoiceField(
        label="Đơn vị",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="Tất cả",
    )
    ward = forms.ChoiceField(label="Phường", required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        if scope.is_city:
            del self.fields["unit"]
            self.fields["ward"].choices = [("", "Tất cả (tổng hợp thành phố)")] + [
                (w.slug, w.display_name) for w in scope.wards
            ]
        else:
            del self.fields["ward"]
            if scope.unit is not None:
                del self.fields["unit"]
            else:
                self.fields["unit"].queryset = Unit.objects.filter(ward=scope.ward)

    def clean(self):
        data = super().clean()
        if data.get("preset"):
            data["start"], data["end"] = preset_period(data["preset"])
        today = timezone.localdate()
        data["start"] = data.get("start") or date(today.year, 1, 1)
        data["end"] = data.get("end") or date(today.year, 12, 31)
        if data["start"] > data["end"]:
            raise forms.ValidationError("Ngày bắt đầu phải trước ngày kết thúc.")
        return data

    def selection(self):
        """(wards, unit) the figures are computed for."""
        data = self.cleaned_data
        wards = self.scope.wards
        if self.scope.is_city and data.get("ward"):
            wards = [w for w in wards if w.slug == data["ward"]]
        unit = self.scope.unit or data.get("unit")
        return wards, unit


class IndicatorForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label="Loại hoạt động được tính",
        choices=Activity.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Để trống: mọi loại.",
    )
    channels = forms.MultipleChoiceField(
        label="Kênh được tính",
        choices=Activity.Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Để trống: mọi kênh.",
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "measure",
            "kinds",
            "channels",
            "unit",
            "target",
            "period",
            "order",
        ]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["unit"].queryset = Unit.objects.filter(ward=plan.ward)
        self.fields["unit"].empty_label = "Mọi đơn vị"


class OverspendConfirmMixin:
    """A tick that appears once saving was refused because it leaves spending above
    the allocation (`budget.OverspendError`): ticked, the same figures are saved."""

    CONFIRM_LABEL = "Xác nhận lưu khi vượt dự toán"

    def overspend_ask(self, error) -> None:
        """Show the overspend and the confirm tick (call after `is_valid()`)."""
        self.fields["overspend_confirmed"] = forms.BooleanField(
            label=self.CONFIRM_LABEL, required=False
        )
        self.add_error(None, error)

    def overspend_confirmed(self) -> bool:
        return self.data.get("overspend_confirmed") in ("on", "true", "1")


class AllocationForm(OverspendConfirmMixin, forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(
        label="Đơn vị", queryset=Unit.objects.none(), empty_label="Chọn đơn vị"
    )
    source = forms.ChoiceField(label="Nguồn kinh phí", choices=FundingSource.choices)
    amount = forms.DecimalField(
        label="Số tiền (đồng)", min_value=0, max_digits=15, decimal_places=0
    )
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args, ward, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(ward=ward)


class ExpenseForm(OverspendConfirmMixin, forms.Form):
    source = forms.ChoiceField(label="Nguồn kinh phí", choices=FundingSource.choices)
    amount = forms.DecimalField(
        label="Số tiền (đồng)", min_value=1, max_digits=15, decimal_places=0
    )
    spent_on = forms.DateField(label="Ngày chi", widget=DATE_INPUT)
    description = forms.CharField(label="Nội dung chi", max_length=300)


class DraftForm(forms.ModelForm):
    class Meta:
        model = ReportDraft
        fields = [
            "number",
            "issued_date",
            "introduction",
            "difficulties",
            "proposals",
            "next_steps",
            "recipients",
            "signing_authority",
            "signer_position",
            "signer",
        ]
        widgets = {
            "issued_date": DATE_INPUT,
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 4}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "introduction": "Để trống thì Loa viết đoạn mở đầu từ kế hoạch. Số liệu do Loa tính, không sửa ở đây.",
            "signing_authority": "Dòng dưới “TM. ỦY BAN NHÂN DÂN” (Loa tự in dòng này): "
            "“KT. CHỦ TỊCH” khi Phó Chủ tịch ký; để trống khi Chủ tịch ký.",
            "signer_position": "Ví dụ: PHÓ CHỦ TỊCH",
        }


class NewDraftForm(forms.Form):
    plan = forms.ModelChoiceField(label="Kế hoạch", queryset=None)
    preset = forms.ChoiceField(
        label="Kỳ", choices=[("", "Tự chọn")] + PRESETS, required=False
    )
    start = forms.DateField(label="Từ ngày", required=False, widget=DATE_INPUT)
    end = forms.DateField(label="Đến ngày", required=False, widget=DATE_INPUT)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans

    def clean(self):
        data = super().clean()
        if data.get("preset"):
            data["start"], data["end"] = preset_period(data["preset"])
        if not data.get("start") or not data.get("end"):
            raise forms.ValidationError("Chọn kỳ báo cáo hoặc nhập từ ngày, đến ngày.")
        if data["start"] > data["end"]:
            raise forms.ValidationError("Ngày bắt đầu phải trước ngày kết thúc.")
        return data


class NarrativeForm(forms.Form):
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=Unit.objects.none())
    text = forms.CharField(
        label="Nội dung",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CommendationForm(forms.ModelForm):
    class Meta:
        model = Commendation
        fields = ["kind", "name", "unit", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, ward, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(ward=ward)
