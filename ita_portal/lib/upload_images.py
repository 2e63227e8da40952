"""Image checks: decompression bombs refused before decoding; re-encoding without metadata; thumbnails."""

import io
import warnings

from django.utils.translation import gettext_lazy as _

from ita_portal.lib.upload_base import (
    JPEG_QUALITY,
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
            if kind == "jpeg":  # decode a 200 MP photo at 1/2, 1/4 or 1/8 scale: a fraction of the memory
                image.draft(image.mode, (MAX_IMAGE_EDGE, MAX_IMAGE_EDGE))
            image.load()
            icc_profile = image.info.get("icc_profile")
            upright = ImageOps.exif_transpose(image)
            if max(upright.size) > MAX_IMAGE_EDGE:
                upright.thumbnail((MAX_IMAGE_EDGE, MAX_IMAGE_EDGE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    except UploadRejected:
        raise
    except Exception:
        raise damaged(name, kind) from None

    try:
        # `upright` is already a new image (exif_transpose copies), so it may be changed here.
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
