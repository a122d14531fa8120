"""The drawing behind the built-in ``seaborn`` renderer, one job per module.

- :mod:`.options`: the renderer's options, their defaults, and validation (bad values are UsageErrors
  naming the option and its command-line flag).
- :mod:`.scale`: the colour scale: limits from finite values, ``robust``, ``center`` (1 for ``norm(...)``
  values), the missing-cell colour.
- :mod:`.labels`: label font sizes from the space per label, and thinning to a legible subset.
- :mod:`.legends`: legend entries and their measured size.
- :mod:`.layout`: where everything goes, in inches, computed arithmetically before anything is drawn.
- :mod:`.dendrogram`: dendrogram line segments from a linkage matrix, without recursion.
- :mod:`.draw`: the matplotlib Figure(s) assembled from the layout.
"""
