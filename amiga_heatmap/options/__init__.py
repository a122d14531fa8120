"""Options declared once: each option the pipeline or a renderer reads is one :class:`Option`.

Why one declaration per option: a flag, its ``--help`` text, its default, its check, the renderer's
accepted keys and the messages naming it used to be written in up to seven places that drifted apart.
Now everything else is generated from the declaration:

- :mod:`.declaration`: the :class:`Option` type, :func:`per_axis` (one declaration for an x/y pair)
  and :func:`option_label` (the one place deciding whether a message says ``--sort-y-by`` or
  ``sort_y``);
- :mod:`.pipeline_options`: the table of the options :class:`~amiga_heatmap.pipeline.spec.HeatmapSpec`
  holds, mapped onto its fields and :class:`~amiga_heatmap.pipeline.spec.AxisSpec`'s;
- :mod:`.click_options`: click options generated from declarations, for the command line;
- :mod:`.renderer_options`: a renderer's declared options and capabilities checked against what a run
  asks, before any data is read.

Renderers declare their own options (``Renderer(..., options=(Option(...), ...))``); the built-in
seaborn renderer's are in :mod:`amiga_heatmap.builtin.figure.options`. Nothing here imports pandas or
matplotlib, so ``--help`` stays fast.
"""

from .declaration import Option, option_label, per_axis

__all__ = ["Option", "option_label", "per_axis"]
