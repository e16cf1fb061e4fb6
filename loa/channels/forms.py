from django import forms

from loa.core.models import ResidentialGroup

from .models import Channel


class ChannelChoiceForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label="Đăng lên các kênh",
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    residential_group = forms.ModelChoiceField(
        label="Chỉ gửi Zalo tới tổ dân phố",
        queryset=ResidentialGroup.objects.none(),
        required=False,
        empty_label="Tất cả người theo dõi",
    )

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        groups = ResidentialGroup.objects.all()
        self.fields["residential_group"].queryset = (
            groups.filter(ward=ward) if ward is not None else groups
        )


class VariantForm(forms.Form):
    title = forms.CharField(label="Tiêu đề", max_length=255, required=False)
    variant = forms.CharField(
        label="Nội dung đăng", widget=forms.Textarea(attrs={"rows": 12})
    )


class PostedForm(forms.Form):
    url = forms.URLField(
        label="Đường dẫn bài đã đăng",
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": "Hãy dán một đường dẫn hợp lệ (bắt đầu bằng https://)."
        },
    )
    reach = forms.IntegerField(
        label="Lượt tiếp cận (nếu biết)", min_value=0, required=False
    )


class RadioBuildForm(forms.Form):
    """ "Soạn bản tin tuần này": the week is named so a double click or a page left open
    past midnight on Sunday never builds another week than the one the officer saw."""

    week = forms.RegexField(
        regex=r"^\d{4}-W\d{2}$",
        widget=forms.HiddenInput,
        error_messages={
            "required": "Chưa rõ tuần cần soạn; hãy tải lại trang và thử lại.",
            "invalid": "Tuần không hợp lệ; hãy tải lại trang và thử lại.",
        },
    )

    def clean_week(self):
        import datetime

        value = self.cleaned_data["week"]
        try:
            return datetime.date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
        except ValueError as exc:
            raise forms.ValidationError(
                "Tuần không hợp lệ; hãy tải lại trang và thử lại."
            ) from exc


class RadioScriptForm(forms.Form):
    script = forms.CharField(
        label="Kịch bản đọc",
        help_text="Mỗi đoạn cách nhau một dòng trống. Khi lưu, bản tin được đọc lại "
        "ngay và phải duyệt lại.",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 18}),
        error_messages={"required": "Kịch bản không được để trống."},
    )


# ---------------------------------------------------------------- print desk ("Ấn phẩm")


class PrintForm(forms.Form):
    """What to print: one of the ward's published articles or approved slogans (one
    list, "a<id>" / "s<id>"), and the format. Sent by GET: printing changes nothing."""

    nguon = forms.ChoiceField(label="In từ", choices=())
    loai = forms.ChoiceField(label="Loại ấn phẩm", widget=forms.RadioSelect)
    tro_ly = forms.BooleanField(
        label="Mã QR dẫn tới trợ lý số thay vì tới bài", required=False
    )

    def __init__(self, *args, articles=(), slogans=(), kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        groups = [("", "Chọn tin bài hoặc khẩu hiệu")]
        groups.append(
            ("Tin bài đã xuất bản", [(f"a{page.pk}", page.title) for page in articles])
        )
        if slogans:
            groups.append(
                (
                    "Khẩu hiệu đã duyệt (in băng-rôn)",
                    [(f"s{s.pk}", s.text) for s in slogans],
                )
            )
        self.fields["nguon"].choices = groups
        self.fields["loai"].choices = list((kinds or {}).items())
        self.fields["nguon"].error_messages["required"] = (
            "Hãy chọn một tin bài hoặc một khẩu hiệu."
        )
        self.fields["nguon"].error_messages["invalid_choice"] = (
            "Tin bài hoặc khẩu hiệu này không có trong danh sách của phường."
        )
        self.fields["loai"].error_messages["required"] = "Hãy chọn loại ấn phẩm."

    def source(self) -> dict:
        """{"article_id": n} or {"slogan_id": n} of a valid form."""
        value = self.cleaned_data["nguon"]
        key = "article_id" if value.startswith("a") else "slogan_id"
        return {key: int(value[1:])}

    def clean(self):
        data = super().clean()
        if str(data.get("nguon", "")).startswith("s") and data.get("loai") not in (
            None,
            "banner",
        ):
            self.add_error("loai", "Khẩu hiệu chỉ in thành băng-rôn.")
        return data


# ---------------------------------------------------------------- slogans


class SloganForm(forms.Form):
    text = forms.CharField(
        label="Khẩu hiệu mới",
        max_length=300,
        widget=forms.TextInput(
            attrs={"placeholder": "Ví dụ: Chuyển đổi số vì người dân, doanh nghiệp"}
        ),
        error_messages={"required": "Hãy nhập khẩu hiệu."},
    )


# ---------------------------------------------------------------- LED screens


class LedScreenForm(forms.Form):
    name = forms.CharField(label="Tên màn hình", max_length=150)
    location = forms.CharField(label="Địa điểm đặt màn hình", max_length=300)
    slug = forms.CharField(
        label="Mã màn hình (trong địa chỉ /led/<mã>/)",
        max_length=60,
        required=False,
        help_text="Để trống: lấy từ tên màn hình, bỏ dấu.",
    )
    layout = forms.ChoiceField(label="Kiểu hiển thị", choices=())
    size = forms.CharField(label="Kích thước", max_length=100, required=False)
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label="Đang hoạt động", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        from .models import LedScreen

        super().__init__(*args, **kwargs)
        self.fields["layout"].choices = LedScreen.Layout.choices
        for name in ("name", "location"):
            self.fields[name].error_messages["required"] = (
                f"Hãy nhập {self.fields[name].label.lower()}."
            )
