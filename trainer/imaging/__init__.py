"""B-mode imaging: a label-map pipeline in beam space (pure numpy and OpenCV, no pygame).

`Renderer.render(view)` gives the grey image as displayed; `doppler_rgba(...)` the colour layer the
UI composes on top; `ImageGeometry` is the one transform between world millimetres and pixels.
"""

from trainer.imaging.doppler import doppler_rgba
from trainer.imaging.geometry import ImageGeometry
from trainer.imaging.renderer import Renderer, View

__all__ = ["ImageGeometry", "Renderer", "View", "doppler_rgba"]
