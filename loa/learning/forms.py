import re

from django import forms
from django.contrib.auth import get_user_model

from loa.core.models import ResidentialGroup
from loa.core.privacy import validate_phone

from .models import (
    Learner,
    Lesson,
    SupportVisit,
    TargetGroup,
    TeamMember,
    TeamTarget,
    validate_birth_year,
)
from .services import CONSENT_TEXT


class RegisterForm(forms.Form):
    name = forms.CharField(
        label="Họ và tên",
        max_length=120,
        error_messages={"required": "Vui lòng nhập họ và tên."},
    )
    birth_year = forms.IntegerField(
        label="Năm sinh",
        validators=[validate_birth_year],
        error_messages={
            "required": "Vui lòng nhập năm sinh.",
            "invalid": "Năm sinh phải là số, ví dụ 1960.",
        },
    )
    residential_group = forms.ModelChoiceField(
        label="Tổ dân phố",
        queryset=ResidentialGroup.objects.none(),
        empty_label="— Chọn tổ dân phố —",
        error_messages={"required": "Vui lòng chọn tổ dân phố."},
    )
    target_group = forms.ChoiceField(
        label="Bạn là", choices=TargetGroup.choices, initial=TargetGroup.RESIDENT
    )
    phone = forms.CharField(
        label="Số điện thoại (không bắt buộc)",
        max_length=20,
        required=False,
        validators=[validate_phone],
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": "Vui lòng đánh dấu đồng ý để đăng ký."},
    )

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residential_group"].queryset = ResidentialGroup.objects.filter(
            ward=ward
        )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label="Mã điểm danh (6 chữ số)",
        max_length=10,
        error_messages={"required": "Vui lòng nhập mã điểm danh."},
    )


# A pasted old link (".../hoc/tiep-tuc/<key>/") is taken for the key it carries.
_KEY_IN_LINK_RE = re.compile(r"/tiep-tuc/([^/?#\s]+)")


class ResumeForm(forms.Form):
    """The learner's access key, to continue learning on another device."""

    key = forms.CharField(
        label="Mã tiếp tục học",
        max_length=200,
        help_text="Mã có trong trang “Dữ liệu của tôi” trên thiết bị bạn đã đăng ký.",
        error_messages={
            "required": "Vui lòng nhập mã tiếp tục học.",
            "max_length": "Mã tiếp tục học không đúng. Vui lòng kiểm tra lại.",
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )

    def clean_key(self):
        key = self.cleaned_data["key"].strip()
        found = _KEY_IN_LINK_RE.search(key)
        if found:
            key = found.group(1)
        self.learner = (
            Learner.objects.select_related("ward").filter(access_key=key).first()
            if key
            else None
        )
        if self.learner is None:
            raise forms.ValidationError(
                "Mã tiếp tục học không đúng. Vui lòng kiểm tra lại.", code="bad_key"
            )
        return key


class NationalConfirmationForm(forms.Form):
    confirmed_on = forms.DateField(
        label="Ngày được xác nhận trên VNeID",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ClassSessionForm(forms.Form):
    course = forms.ModelChoiceField(label="Khóa học", queryset=None)
    lesson = forms.ModelChoiceField(
        label="Bài học (không bắt buộc)", queryset=Lesson.objects.none(), required=False
    )
    date = forms.DateField(
        label="Ngày học", widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label="Địa điểm", max_length=200)
    residential_group = forms.ModelChoiceField(
        label="Tổ dân phố", queryset=ResidentialGroup.objects.none(), required=False
    )

    def __init__(self, *args, ward=None, **kwargs):
        from .models import Course

        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(is_published=True)
        self.fields["lesson"].queryset = Lesson.objects.select_related("course")
        self.fields["residential_group"].queryset = ResidentialGroup.objects.filter(
            ward=ward
        )


class AssistedCompletionForm(forms.Form):
    learner = forms.ModelChoiceField(label="Học viên", queryset=None)
    lesson = forms.ModelChoiceField(
        label="Bài học đã hoàn thành với sự hỗ trợ", queryset=Lesson.objects.all()
    )

    def __init__(self, *args, ward=None, **kwargs):
        from .models import Learner

        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = Learner.objects.filter(ward=ward)


# --- community digital teams (views/teams.py) ---------------------------------


class TeamForm(forms.Form):
    residential_group = forms.ModelChoiceField(
        label="Tổ dân phố",
        queryset=ResidentialGroup.objects.none(),
        empty_label="— Chọn tổ dân phố —",
        error_messages={"required": "Vui lòng chọn tổ dân phố."},
    )
    name = forms.CharField(
        label="Tên tổ (để trống: “Tổ công nghệ số cộng đồng” + tên tổ dân phố)",
        max_length=200,
        required=False,
    )

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residential_group"].queryset = ResidentialGroup.objects.filter(
            ward=ward, digital_team__isnull=True
        )


class MemberForm(forms.Form):
    name = forms.CharField(
        label="Họ và tên",
        max_length=120,
        error_messages={"required": "Vui lòng nhập họ và tên."},
    )
    role = forms.ChoiceField(
        label="Vai trò", choices=TeamMember.Role.choices, initial=TeamMember.Role.MEMBER
    )
    phone = forms.CharField(
        label="Số điện thoại",
        max_length=20,
        required=False,
        validators=[validate_phone],
    )
    user = forms.ModelChoiceField(
        label="Tài khoản đăng nhập (nếu thành viên tự ghi lượt hỗ trợ)",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="— Không gắn tài khoản —",
    )

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(membership__ward=ward, digital_team_member__isnull=True)
            .order_by("username")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )


class TargetForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    metric = forms.ChoiceField(label="Chỉ tiêu", choices=TeamTarget.Metric.choices)
    target = forms.IntegerField(
        label="Mục tiêu (0 để bỏ chỉ tiêu)",
        min_value=0,
        max_value=1_000_000,
        error_messages={"required": "Vui lòng nhập mục tiêu."},
    )


# --- support visits (views/visits.py) ----------------------------------------------


class VisitForm(forms.Form):
    """Used when the page is posted without JavaScript; visit.js posts JSON instead."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    team = forms.ModelChoiceField(
        label="Tổ", queryset=None, empty_label=None, required=True
    )
    household_code = forms.CharField(label="Mã hộ", max_length=60)
    date = forms.DateField(
        label="Ngày hỗ trợ", widget=forms.DateInput(attrs={"type": "date"})
    )
    helps = forms.MultipleChoiceField(
        label="Đã hỗ trợ",
        choices=SupportVisit.Help.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Vui lòng chọn ít nhất một việc đã hỗ trợ."},
    )
    result = forms.ChoiceField(
        label="Kết quả",
        choices=SupportVisit.Result.choices,
        initial=SupportVisit.Result.DONE,
        widget=forms.RadioSelect,
    )
    people = forms.IntegerField(
        label="Số người được hỗ trợ", min_value=1, max_value=100, initial=1
    )
    note = forms.CharField(
        label="Ghi chú ngắn (không bắt buộc)", max_length=300, required=False
    )

    def __init__(self, *args, team_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = team_queryset


# --- list imports (views/imports.py) ------------------------------------------------


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Danh sách",
        choices=[
            ("hoc-vien", "Học viên Bình dân học vụ số"),
            ("thanh-vien-to", "Thành viên tổ công nghệ số cộng đồng"),
        ],
    )
    file = forms.FileField(
        label="Tệp Excel (.xlsx, tối đa 20 MB)",
        error_messages={"required": "Vui lòng chọn tệp .xlsx."},
    )
