from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from loa.core import uploads
from loa.core.models import Unit

from .models import Activity, Plan, Task


def _check_size(upload) -> None:
    limit = settings.LOA_MAX_UPLOAD_BYTES
    if upload is not None and upload.size > limit:
        raise forms.ValidationError(
            "Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB.",
            code="too_large",
            params={
                "size": round(upload.size / 1_048_576, 1),
                "limit": limit // 1_048_576,
            },
        )


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp kế hoạch (.docx, .pdf, .txt)",
        help_text="Văn bản đánh máy, bản quét PDF hoặc bản mất dấu đều được; hệ thống sẽ phục hồi dấu tiếng Việt.",
        error_messages={
            "required": "Vui lòng chọn tệp kế hoạch.",
            "empty": "Tệp tải lên rỗng.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        _check_size(upload)
        return upload


class PlanHeaderForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "number",
            "issued_date",
            "doc_type",
            "title",
            "issuer",
            "place",
            "signer",
            "signer_position",
        ]
        widgets = {
            "issued_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "title": forms.Textarea(attrs={"rows": 3}),
        }

    def header(self) -> dict:
        data = dict(self.cleaned_data)
        data["date"] = data.pop("issued_date")
        data["implements"] = self.instance.implements
        data["sections"] = self.instance.sections
        return data


class UnitMappingForm(forms.Form):
    """Map one unit name found in the document to a unit of the ward."""

    parsed_name = forms.CharField(widget=forms.HiddenInput)
    target = forms.ModelChoiceField(
        label="Đơn vị của phường",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="— Tạo đơn vị mới với tên bên cạnh —",
    )
    new_name = forms.CharField(label="Tên đơn vị", max_length=300)

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Unit.objects.filter(ward=ward, is_active=True)


class BaseUnitMappingFormSet(forms.BaseFormSet):
    def __init__(self, *args, ward=None, **kwargs):
        self.ward = ward
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "ward": self.ward}


UnitMappingFormSet = forms.formset_factory(
    UnitMappingForm, formset=BaseUnitMappingFormSet, extra=0
)


class TaskReviewForm(forms.Form):
    unit_name = forms.ChoiceField(label="Đơn vị")
    text = forms.CharField(
        label="Nội dung nhiệm vụ", widget=forms.Textarea(attrs={"rows": 3})
    )
    role = forms.ChoiceField(
        label="Vai trò", choices=[("", "—")] + Task.Role.choices, required=False
    )
    recurrence = forms.ChoiceField(
        label="Tần suất",
        choices=[("", "Một lần / theo hạn")] + Task.Recurrence.choices,
        required=False,
    )
    due_date = forms.DateField(
        label="Hạn",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, unit_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_name"].choices = [(n, n) for n in unit_names]

    def has_changed(self):
        # The blank "add a task" row always posts a unit (a select has no blank choice);
        # it counts, and so must be filled in, only once something is written in it.
        if self.empty_permitted:
            return bool((self.data.get(self.add_prefix("text")) or "").strip())
        return super().has_changed()


class BaseTaskReviewFormSet(forms.BaseFormSet):
    """One page of the tasks under review, with a blank row to add a task if `extra`."""

    def __init__(self, *args, unit_names=(), extra: int = 1, **kwargs):
        self.unit_names = list(unit_names)
        self.extra = extra
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = {**super().get_form_kwargs(index), "unit_names": self.unit_names}
        if index is not None and index >= self.initial_form_count() and self.unit_names:
            kwargs["initial"] = {"unit_name": self.unit_names[0]}
        return kwargs


# A page holds at most a few dozen tasks; refuse a request claiming hundreds of forms.
TaskReviewFormSet = forms.formset_factory(
    TaskReviewForm,
    formset=BaseTaskReviewFormSet,
    extra=1,
    can_delete=True,
    max_num=200,
    absolute_max=200,
)


class ActivityForm(forms.ModelForm):
    evidence_url = forms.URLField(
        label="Đường dẫn minh chứng",
        required=False,
        max_length=500,
        assume_scheme="https",
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "date",
            "title",
            "channel",
            "attendees",
            "copies",
            "reach",
            "households_helped",
            "note",
            "evidence_file",
            "evidence_url",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Vietnamese blank choices instead of Django's "---------".
        self.fields["kind"].choices = [
            ("", "— Chọn loại hoạt động —"),
            *Activity.Kind.choices,
        ]
        self.fields["channel"].choices = [
            ("", "— Không qua kênh cụ thể —"),
            *Activity.Channel.choices,
        ]
        if units is not None and len(units) > 1:
            self.fields["unit"] = forms.ModelChoiceField(
                label="Đơn vị thực hiện",
                queryset=units,
                empty_label="— Chọn đơn vị —",
                error_messages={"required": "Vui lòng chọn đơn vị thực hiện."},
            )
            self.order_fields(["unit"])

    def clean_evidence_file(self):
        """A new file: size, then its real type (see loa.core.uploads.EVIDENCE_KINDS);
        a photo is stored re-encoded without its EXIF/GPS, under its real extension."""
        upload = self.cleaned_data.get("evidence_file")
        if isinstance(upload, UploadedFile):
            _check_size(upload)
            try:
                return uploads.evidence_clean(upload)
            except uploads.UploadError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
        return upload


class UrgeForm(forms.Form):
    """ "Đôn đốc" on a task or a unit: an optional message for the unit."""

    message = forms.CharField(
        label="Lời nhắn cho đơn vị (không bắt buộc)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Lời nhắn dài quá 1000 ký tự."},
    )
