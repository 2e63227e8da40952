"""Small files for the measures tests."""

import io


def jpeg(size=(64, 48), colour=(200, 30, 30), fmt="JPEG") -> bytes:
    """A plain image (JPEG by default; fmt="PNG" for a PNG)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()
