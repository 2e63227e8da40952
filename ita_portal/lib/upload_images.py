"""Image checks: decompression bombs refused before decoding; re-encoding without metadata; thumbnails."""

import io
import warnings

from django.utils.translation import gettext_lazy as _

from ita_portal.lib.upload_base import (
    JPEG_QUALITY,
    MAX_DECODED_BYTES,
    MAX_IMAGE_EDGE,
    MAX_IMAGE_PIXELS,
    PILLOW_FORMAT,
    THUMBNAIL_QUALITY,
    THUMBNAIL_SIZE,
    UploadRejected,
    damaged,
    reject,
)

# ---------------------------------------------------------------------------------------------
# Images


def _to_srgb(image, icc_profile):
    """Convert colours to sRGB using the embedded ICC profile, so the profile can be dropped."""
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode)
        return converted if converted is not None else image
    except Exception:
        return image


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _storage_mode(image, kind):
    """Convert to a mode the output format stores well."""
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        if kind == "png" and mode.startswith("I;16"):
            return image  # 16-bit greyscale PNG stays as it is
        return image.convert("I").point(lambda v: v / 256).convert("L")
    if kind == "jpeg":
        if mode in ("L", "RGB"):
            return image
        if _has_alpha(image):
            return _flatten(image)
        return image.convert("RGB")
    if kind == "png":
        if mode in ("1", "L", "RGB", "RGBA"):
            return image
        return image.convert("RGBA" if _has_alpha(image) else "RGB")
    # WebP stores RGB or RGBA.
    if mode in ("RGB", "RGBA"):
        return image
    return image.convert("RGBA" if _has_alpha(image) else "RGB")


def _flatten(image):
    """RGB on a white background (for JPEG, which has no transparency)."""
    from PIL import Image

    if image.mode in ("1", "L", "RGB"):
        return image.convert("RGB")
    if image.mode.startswith("I") or image.mode == "F":
        return _storage_mode(image, "jpeg").convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _image_too_large(name):
    return reject(
        _("%(name)s is an image of more than %(limit)s million pixels, too large to process. Reduce its size and upload it again."),
        name, limit=MAX_IMAGE_PIXELS // 1_000_000,
    )


def _decoded_too_large(name, width, height):
    return reject(
        _("%(name)s is an image of %(megapixels)s million pixels in a format that has to be opened at full size, too large to process. Save it as JPEG or reduce its size and upload it again."),
        name, megapixels=round(width * height / 1_000_000),
    )


# What Pillow holds per pixel once decoded, by mode ("1" is stored a byte per pixel; RGB is padded to four).
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "LA": 2, "PA": 2, "La": 2, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}


def target_box(width: int, height: int) -> tuple[int, int]:
    """The size the image is stored at: the long side at most MAX_IMAGE_EDGE, the shape kept. A JPEG
    is decoded straight to (about) this size: asking for a square MAX_IMAGE_EDGE box instead would
    decode a landscape 8660×5774 photo at full size, since its short side is under the box's."""
    scale = min(1.0, MAX_IMAGE_EDGE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _shrunk(image, size):
    """`image` at `size` (LANCZOS), one axis at a time, the source closed as soon as the first pass is
    done: never the source, the half-done and the result in memory together (Pillow's own two-pass
    resize holds all three: 139 MB instead of 97 for a 50 MP photo decoded at half size)."""
    from PIL import Image

    if image.size == size:
        return image.copy()
    wide = image.resize((size[0], image.size[1]), Image.Resampling.LANCZOS) if size[0] != image.size[0] else image.copy()
    image.close()  # frees the decoded pixels; the caller's `with` closes it again, harmlessly
    if size[1] == wide.size[1]:
        return wide
    return wide.resize(size, Image.Resampling.LANCZOS)


def check_image(name, kind, data):
    from PIL import Image, ImageFile, ImageOps

    # Importing WeasyPrint (the PDF renderer, in the same worker process) switches this on for the
    # whole process; a truncated image must be refused here whatever was imported before.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    # Pillow's own bomb guard follows ours (it raises at twice this), checked on the header's size.
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    if kind == "heic":
        import pillow_heif

        pillow_heif.register_heif_opener()

    expected_format = PILLOW_FORMAT[kind]
    try:
        with warnings.catch_warnings():  # over the limit: refused just below, not a warning
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=[expected_format])
        with probe:
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _image_too_large(name)
            # JPEG is decoded at 1/2, 1/4 or 1/8 of its size; the others at full size: bounded here.
            if kind != "jpeg" and width * height * _BYTES_PER_PIXEL.get(probe.mode, 4) > MAX_DECODED_BYTES:
                raise _decoded_too_large(name, width, height)
            # (A JPEG with several pictures, MPO from phone cameras, or a HEIC burst is fine: its
            # first picture is kept.)
            if kind not in ("jpeg", "heic") and getattr(probe, "n_frames", 1) > 1:
                raise reject(
                    _("%(name)s is an animated image. Upload a still image (one frame) instead."), name
                )
            probe.verify()
    except UploadRejected:
        raise
    except Image.DecompressionBombError:
        # Pillow's own limit, reached on opening: the header claims far too many pixels.
        raise _image_too_large(name) from None
    except Exception:
        raise damaged(name, kind) from None

    try:
        with Image.open(io.BytesIO(data), formats=[expected_format]) as image:
            if image.size != (width, height) or image.size[0] * image.size[1] > MAX_IMAGE_PIXELS:
                raise _image_too_large(name)
            if kind == "jpeg":  # decode a 50 MP photo at 1/2 (a 200 MP one at 1/4): a fraction of the memory
                image.draft(image.mode, target_box(width, height))
            image.load()
            icc_profile = image.info.get("icc_profile")
            upright = _shrunk(image, target_box(*image.size))
            ImageOps.exif_transpose(upright, in_place=True)  # on the small image, in place: no other copy
    except UploadRejected:
        raise
    except Exception:
        raise damaged(name, kind) from None

    try:
        # `upright` is this function's own image (opened from the bytes above), so it may be changed here.
        clean = _storage_mode(_to_srgb(upright, icc_profile), "jpeg" if kind == "heic" else kind)
        # Nothing from the original travels with the pixels: no EXIF, GPS, XMP, ICC or text chunks.
        clean.info = {}
        out = io.BytesIO()
        if kind in ("jpeg", "heic"):
            clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        elif kind == "png":
            clean.save(out, "PNG")
        else:
            clean.save(out, "WEBP", quality=JPEG_QUALITY, method=4)
        content = out.getvalue()

        thumbnail = _thumbnail(clean)
    except Exception:
        raise damaged(name, kind) from None
    return content, clean.size, thumbnail


def _thumbnail(image):
    """A JPEG of at most THUMBNAIL_SIZE, made by shrinking first and flattening afterwards."""
    from PIL import Image

    if image.mode == "1":
        image = image.convert("L")
    elif image.mode not in ("L", "RGB", "RGBA"):
        image = _flatten(image)
    width, height = image.size
    scale = min(1.0, THUMBNAIL_SIZE[0] / width, THUMBNAIL_SIZE[1] / height)
    if scale < 1.0:
        size = (
            max(1, min(THUMBNAIL_SIZE[0], round(width * scale))),
            max(1, min(THUMBNAIL_SIZE[1], round(height * scale))),
        )
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    _flatten(image).save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()
