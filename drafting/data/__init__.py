"""The report's data: model, loading, validation rules."""

from .load import Loaded, load_data, validate_raw
from .model import ReportData

__all__ = ["Loaded", "ReportData", "load_data", "validate_raw"]
