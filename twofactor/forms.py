from __future__ import annotations

from django import forms


class CodeForm(forms.Form):
    """A code from an authenticator app or a recovery code (twofactor/views.py)."""

    code = forms.CharField(label="Code", max_length=20, strip=True)
