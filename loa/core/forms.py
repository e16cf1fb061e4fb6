"""Forms of the core app."""

from django import forms

from .models import Ward
from .services import PORTAL_PROFILE_FIELDS


class WardPortalForm(forms.ModelForm):
    """What a ward's leader sets about its portal: address, footer, contact line."""

    class Meta:
        model = Ward
        fields = ["public_address", *PORTAL_PROFILE_FIELDS]
        widgets = {"public_address": forms.TextInput(attrs={"inputmode": "url"})}
        labels = {"public_address": "Địa chỉ cổng thông tin (tên miền)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["public_address"].required = True
        self.fields["public_address"].error_messages["invalid"] = (
            "Địa chỉ phải có dạng https://ten-mien.gov.vn."
        )
