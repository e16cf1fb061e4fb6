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
