"""Small helpers every metric shares: undefined ratios are None (null in JSON), never 0."""

from __future__ import annotations

import numpy as np
import pandas as pd


def ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else float(numerator) / float(denominator)


def select(traces: pd.DataFrame, mask: pd.Series | np.ndarray, columns: list[str]) -> pd.DataFrame:
    """The rows `mask` selects with only `columns` (those the frame has): a million cases' traces are copied
    only as wide as a metric reads them."""
    return traces.loc[np.asarray(mask, dtype=bool), [c for c in columns if c in traces.columns]]


def rounded(value: float | None) -> float | None:
    """Six decimals, so summaries are stable bytes; NaN and None become None."""
    return None if value is None or np.isnan(value) else round(float(value), 6)
