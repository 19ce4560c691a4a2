import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from matchmaker.core.recommend import column_medians

FEATURE_LIKE = arrays(
    np.float64,
    st.tuples(st.integers(1, 40), st.integers(1, 6)),
    elements=st.one_of(st.sampled_from([0.0, 1.0, 0.5]), st.floats(-1e6, 1e6, allow_nan=False)),
)


@given(FEATURE_LIKE)
def test_column_medians_are_numpys_medians(X):
    assert np.array_equal(column_medians(X), np.median(X, axis=0))


def test_no_candidates_have_no_typical_values():
    assert np.isnan(column_medians(np.empty((0, 3)))).all()
