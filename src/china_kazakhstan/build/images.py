"""Charts in fewer bytes: the PNGs of an executed notebook, re-encoded as palette images.

The runs cached by :mod:`.execution` carry these instead of matplotlib's own encoding,
compacted before the run is cached, so that a cached record never holds the raw ones.
"""

from __future__ import annotations


def compact_png(data: str) -> str:
    """The same chart in fewer bytes (base64 in, base64 out).

    The charts come out of matplotlib as RGBA PNGs, opaque, at its default compression. A
    chart has few colours: with at most 256 it is stored as a palette PNG, pixel for pixel
    the same (a third of the bytes); with more (the anti-aliased edges of many markers) it is
    reduced to the 256 nearest colours without dithering, a change no reader can see. The
    smaller encoding is kept only if it is smaller. The page-weight goal of ``make bench``
    (a chapter with its images under 500 KB) relies on it.
    """
    import base64
    import io

    from PIL import Image

    raw = base64.b64decode(data)
    image = Image.open(io.BytesIO(raw))
    image.load()
    if image.mode == "RGBA" and image.getextrema()[3] == (255, 255):
        image = image.convert("RGB")
    if image.mode == "RGB":
        image = _palette(image)
    out = io.BytesIO()
    image.save(out, "png", optimize=True)
    smaller = out.getvalue()
    return base64.b64encode(smaller).decode() + "\n" if len(smaller) < len(raw) else data


def _palette(image):
    """An RGB image as a palette image: exact with at most 256 colours, else the nearest 256."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image, dtype=np.uint8)
    colours, index = np.unique(pixels.reshape(-1, 3), axis=0, return_inverse=True)
    if len(colours) > 256:
        return image.quantize(colors=256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE)
    exact = Image.fromarray(index.reshape(pixels.shape[:2]).astype(np.uint8), mode="P")
    exact.putpalette(colours.astype(np.uint8).tobytes())
    return exact


def compact_images(nb) -> None:
    """Re-encode every PNG output of an executed notebook with :func:`compact_png`."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                data["image/png"] = compact_png(data["image/png"])
