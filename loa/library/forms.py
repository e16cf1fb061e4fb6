from django import forms

from .models import LibraryItem


class LibraryItemForm(forms.ModelForm):
    class Meta:
        model = LibraryItem
        fields = ["kind", "title", "summary", "body", "source"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 12}),
        }
