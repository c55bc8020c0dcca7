"""The apply URL policy, shared with companies' websites: see config/urlpolicy.py."""

from config.urlpolicy import MAX_URL_LENGTH, is_valid_apply_url, validate_apply_url

__all__ = ["MAX_URL_LENGTH", "is_valid_apply_url", "validate_apply_url"]
