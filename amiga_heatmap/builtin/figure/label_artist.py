"""Many labels of one axis drawn by one artist: about half the cost of one matplotlib Text per label.

A Text lays itself out (font metrics of its string) before the backend lays the string out again to
draw it; with thousands of labels that doubles the slowest part of saving a figure. A
:class:`LabelArtist` measures the font once, the widths of the strings from per-character advances (one
measurement per distinct character), places every baseline with numpy, and hands each string to the
backend's ``draw_text``: text stays text in PDF and SVG. Kerning is ignored when computing where a
hanging label starts (a fraction of a point).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib.artist import Artist

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from matplotlib.backend_bases import RendererBase


class LabelArtist(Artist):
    """Labels ``texts`` at ``anchors`` (data coordinates of the axes it is added to), one font.

    ``placement`` says how each label sits at its anchor:

    - ``"left"``: horizontal, starting at the anchor, centred on it vertically (row labels);
    - ``"below"``: hanging below the anchor at ``rotation`` degrees (0 to 90), its end at the anchor:
      centred on it when horizontal or vertical, the end's middle on it otherwise (column labels).
    """

    def __init__(
        self,
        texts: Sequence[str],
        anchors: np.ndarray,
        fontsize: float,
        placement: str,
        rotation: float = 0.0,
        color: str = "black",
        weight: str = "normal",
    ):
        super().__init__()
        self.texts = list(texts)
        self.anchors = anchors
        self.fontsize = fontsize
        self.placement = placement
        self.rotation = rotation
        self.color = color
        self.weight = weight

    def draw(self, renderer: RendererBase) -> None:
        if not self.get_visible() or not self.texts:
            return
        import numpy as np
        from matplotlib.font_manager import FontProperties

        prop = FontProperties(size=self.fontsize, weight=self.weight)
        _, height, descent = renderer.get_text_width_height_descent("lp", prop, ismath=False)
        points = self.get_transform().transform(self.anchors)
        if self.placement == "left":
            starts = points + np.array([0.0, descent - height / 2])
            angle = 0.0
        else:
            starts = self._hanging_starts(points, self._widths(renderer, prop), height, descent)
            angle = self.rotation
        if renderer.flipy():  # Agg and SVG measure y from the top of the canvas
            starts[:, 1] = renderer.get_canvas_width_height()[1] - starts[:, 1]
        graphics = renderer.new_gc()
        graphics.set_foreground(self.color)
        renderer.open_group("labels", gid=self.get_gid())
        for (x, y), text in zip(starts.tolist(), self.texts):
            renderer.draw_text(graphics, x, y, text, prop, angle)
        renderer.close_group("labels")
        graphics.restore()
        self.stale = False

    def _hanging_starts(
        self, points: np.ndarray, widths: np.ndarray, height: float, descent: float
    ) -> np.ndarray:
        """Baseline starts of labels hanging below their anchors at ``self.rotation``."""
        import numpy as np

        if self.rotation == 0:
            return np.column_stack([points[:, 0] - widths / 2, points[:, 1] - (height - descent)])
        if self.rotation == 90:
            return np.column_stack([points[:, 0] - descent + height / 2, points[:, 1] - widths])
        radians = math.radians(self.rotation)
        along = np.array([math.cos(radians), math.sin(radians)])  # the baseline's direction
        up = np.array([-math.sin(radians), math.cos(radians)])  # towards the tops of the letters
        # the middle of the label's end right under the anchor, its upper corner on the anchor's level
        end = points - (height / 2 - descent) * up - np.array([0.0, height / 2 * math.cos(radians)])
        return end - widths[:, None] * along

    def _widths(self, renderer: RendererBase, prop) -> np.ndarray:
        """Each label's width in display units: the sum of its characters' advances, as matplotlib lays
        out a string (without kerning)."""
        import numpy as np
        from matplotlib.font_manager import findfont, get_font
        from matplotlib.ft2font import LoadFlags

        font = get_font(findfont(prop))
        font.set_size(prop.get_size_in_points(), 72)  # advances in points
        scale = renderer.points_to_pixels(1.0) / 65536
        advance = {
            character: font.load_char(ord(character), flags=LoadFlags.NO_HINTING).linearHoriAdvance * scale
            for character in set("".join(self.texts))
        }
        return np.array([sum(advance[character] for character in text) for text in self.texts])
