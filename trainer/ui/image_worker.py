"""Image formation on a second thread, beside event handling and drawing on the main thread.

The main thread hands over a `View` (an immutable snapshot of what the scanner sees) and goes on
drawing the rest of the screen; the worker forms the B-mode image, lays the colour Doppler over it
and scales it to its place on screen (numpy and OpenCV release the GIL, so this runs on the other
core). The main thread then takes the newest finished image, waiting at most until its frame's
deadline: when the worker is late the previous image stays up for a frame, and the game goes on.

Only the worker uses the renderer while it runs; `close()` hands it back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from trainer.imaging import Renderer, View, doppler_rgba
from trainer.imaging.doppler import ColourBox
from trainer.scenario.model import Plane

FRAME_SIZE = (640, 480)  # the image as formed (width, height); scaled to its place on screen


@dataclass(frozen=True)
class ImageJob:
    """One image to form: what the scanner sees, the size on screen, and for colour Doppler the
    colour box and how fast the probe is moving (flash)."""

    view: View
    size: tuple[int, int]
    box: ColourBox = field(default_factory=ColourBox)
    probe_speed_mm_s: float = 0.0

    def same_as(self, other: ImageJob | None) -> bool:
        """True when `other` would give the very same picture (nothing moved, no time passed)."""
        if other is None:
            return False
        a, b = self.view, other.view
        return (
            self.size == other.size
            and (self.box, self.probe_speed_mm_s) == (other.box, other.probe_speed_mm_s)
            and a.plane.key == b.plane.key
            and a.probe == b.probe
            and a.needle == b.needle
            and a.injectate is b.injectate
            and a.time_s == b.time_s
        )


@dataclass(frozen=True)
class FormedImage:
    """A finished image: BGRA pixels at the size on screen, and the grey frame as formed."""

    job: ImageJob
    bgra: np.ndarray
    grey: np.ndarray


def form_image(renderer: Renderer, job: ImageJob) -> FormedImage:
    """The grey B-mode frame, Doppler colour laid over it, scaled to the size on screen."""
    grey = renderer.render(job.view)
    bgra = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGRA)
    if job.view.probe.doppler:
        rgba = doppler_rgba(renderer, job.view, job.box, job.probe_speed_mm_s)
        flow = rgba[..., 3] > 0
        bgra[flow, :3] = rgba[flow, 2::-1]
    if (bgra.shape[1], bgra.shape[0]) != job.size:
        bgra = cv2.resize(bgra, job.size, interpolation=cv2.INTER_LINEAR)
    return FormedImage(job, np.ascontiguousarray(bgra), grey)


class ImageWorker:
    """A thread that forms the newest submitted image; older unstarted jobs are dropped."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.formed = 0  # images formed so far (the benchmark counts fresh images)
        self._cond = threading.Condition()
        self._pending: ImageJob | None = None
        self._latest: ImageJob | None = None
        self._done: FormedImage | None = None
        self._busy = False
        self._started_s = 0.0  # perf_counter time the image in hand was started
        self._forming_s = 0.0  # how long the last image took to form
        self._closed = False
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._loop, name="image-formation", daemon=True)
        self._thread.start()

    def submit(self, job: ImageJob) -> None:
        """Ask for an image; nothing is formed when it would repeat the last one."""
        with self._cond:
            if job.same_as(self._latest):
                return
            self._pending = self._latest = job
            self._cond.notify_all()

    def take(self, timeout_s: float, give_up_early: bool = True) -> FormedImage | None:
        """The newest finished image, after waiting up to `timeout_s` for the work in hand. With
        `give_up_early`, no wait at all when, at the pace of the last image, the work in hand cannot
        be done by then: the frame goes on with the previous image instead of idling."""
        with self._cond:
            if give_up_early and self._expected_done_s() - time.perf_counter() > timeout_s:
                timeout_s = 0.0
            self._cond.wait_for(lambda: not self._busy and self._pending is None, max(0.0, timeout_s))
            if self._error is not None:
                error, self._error = self._error, None
                raise error
            return self._done

    def _expected_done_s(self) -> float:
        """When the submitted work should be done (perf_counter seconds), at the last image's pace."""
        if self._busy:
            done = self._started_s + self._forming_s
            return done + self._forming_s if self._pending is not None else done
        return time.perf_counter() + self._forming_s if self._pending is not None else 0.0

    def close(self) -> Renderer:
        """Stop the thread (after the image in hand) and hand the renderer back."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join()
        return self.renderer

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or self._pending is not None)
                if self._closed:
                    return
                job, self._pending, self._busy = self._pending, None, True
                self._started_s = time.perf_counter()
            assert job is not None
            self._form(job)

    def _form(self, job: ImageJob) -> None:
        image: FormedImage | None = None
        error: Exception | None = None
        try:
            image = form_image(self.renderer, job)
        except Exception as exc:  # shown by the main thread, like any error in a frame
            error = exc
        with self._cond:
            self._busy = False
            self._forming_s = time.perf_counter() - self._started_s
            if image is not None:
                self._done = image
                self.formed += 1
            self._error = error
            self._cond.notify_all()


class PlaneWarmer:
    """Builds the renderer's maps for the other views in the background, so the first slide into
    another view does not stall the image."""

    def __init__(self, renderer: Renderer, planes: Sequence[Plane]) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._warm, args=(renderer, tuple(planes)), name="plane-warm-up", daemon=True
        )
        self._thread.start()

    def _warm(self, renderer: Renderer, planes: tuple[Plane, ...]) -> None:
        for plane in planes:
            if self._stop.is_set():
                return
            renderer.plane_maps(plane)

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def close(self) -> None:
        """Stop after the view being built (waits for it: a thread must not outlive the game)."""
        self._stop.set()
        self._thread.join()
