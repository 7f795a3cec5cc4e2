"""Small helpers every metric shares: undefined ratios are None (null in JSON), never 0."""

from __future__ import annotations

import numpy as np


def ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else float(numerator) / float(denominator)


def rounded(value: float | None) -> float | None:
    """Six decimals, so summaries are stable bytes; NaN and None become None."""
    return None if value is None or np.isnan(value) else round(float(value), 6)
