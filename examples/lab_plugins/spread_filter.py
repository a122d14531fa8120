"""A lab's own filter quantifier, loaded with --plugins-dir: no packaging needed.

``row spread >= 0.5`` keeps the substrates where the strains (the columns) differ by at least 0.5: the
largest cell minus the smallest cell of the row is compared with the threshold. ``col spread`` does the
same down each column. Missing cells are ignored.

    amiga-heatmap plugins --plugins-dir examples/lab_plugins
    amiga-heatmap --plugins-dir examples/lab_plugins -i examples/randomii/ER_all_summary_normalized.txt \\
        -x Strain -y Substrate -v "norm(auc_lin)" -p mean -f "row spread >= 0.5" -o strains_differ
"""

from amiga_heatmap import hookimpl
from amiga_heatmap.components import Quantifier

__version__ = "1.0"


def spread(values, compare, axis):
    """Compare each row's (axis 1) or column's (axis 0) largest minus smallest cell with the threshold."""
    import numpy as np

    return compare(np.nanmax(values, axis=axis) - np.nanmin(values, axis=axis))


@hookimpl
def register_quantifiers(register):
    register(Quantifier("spread", spread, "largest minus smallest cell of the row (or column)"))
