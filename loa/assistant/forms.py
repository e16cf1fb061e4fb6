from django import forms

from .models import FAQ, KnowledgeDocument


class AskForm(forms.Form):
    question = forms.CharField(
        label="Câu hỏi của bạn",
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "Ví dụ: kích hoạt VNeID mức 2 ở đâu?"}
        ),
        error_messages={"required": "Vui lòng nhập câu hỏi."},
    )
    conversation_id = forms.UUIDField(required=False, widget=forms.HiddenInput)


class FAQForm(forms.ModelForm):
    class Meta:
        model = FAQ
        fields = [
            "question",
            "variants",
            "answer",
            "source",
            "url",
            "topic",
            "lesson_slug",
            "is_active",
        ]
        widgets = {
            "variants": forms.Textarea(attrs={"rows": 4}),
            "answer": forms.Textarea(attrs={"rows": 5}),
        }


class DocumentForm(forms.ModelForm):
    class Meta:
        model = KnowledgeDocument
        fields = ["title", "kind", "text", "source", "url", "lesson_slug", "is_active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 18})}


class TicketAnswerForm(forms.Form):
    answer = forms.CharField(
        label="Trả lời",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Vui lòng nhập câu trả lời."},
    )
    make_faq = forms.BooleanField(
        label="Thêm vào câu hỏi thường gặp (trợ lý dùng ngay)",
        required=False,
        initial=True,
    )
    question = forms.CharField(
        label="Câu hỏi (sửa cho rõ trước khi thêm)", max_length=500, required=False
    )
    source = forms.CharField(label="Nguồn", max_length=500, required=False)
