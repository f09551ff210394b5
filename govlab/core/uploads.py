"""Upload limits: size and type checked on the content, not only on the name."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Leading bytes of the formats we accept. SVG is refused on purpose: it can carry script.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "webp": (b"RIFF",),
    "gif": (b"GIF87a", b"GIF89a"),
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "zip": (b"PK\x03\x04",),
    "csv": (),
    "txt": (),
}
IMAGE_TYPES = ("png", "jpg", "jpeg", "webp", "gif")
DOCUMENT_TYPES = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt", "png", "jpg", "jpeg")


@deconstructible
class UploadPolicy:
    """Which file types (by extension and content) and how many bytes an upload may have."""

    def __init__(self, extensions: tuple[str, ...], max_bytes_setting: str = "UPLOAD_MAX_BYTES"):
        self.extensions = tuple(extensions)
        self.max_bytes_setting = max_bytes_setting

    def __eq__(self, other):
        return isinstance(other, UploadPolicy) and (self.extensions, self.max_bytes_setting) == (
            other.extensions,
            other.max_bytes_setting,
        )

    def __hash__(self):
        return hash((self.extensions, self.max_bytes_setting))

    @property
    def max_bytes(self) -> int:
        return int(getattr(settings, self.max_bytes_setting))

    def __call__(self, file) -> None:
        name = getattr(file, "name", "") or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        allowed = ", ".join(sorted({e.upper() for e in self.extensions}))
        if extension not in self.extensions:
            raise ValidationError(
                _("“%(name)s” is not an accepted file type. Accepted types: %(allowed)s."),
                code="file_type",
                params={"name": name.rsplit("/", 1)[-1], "allowed": allowed},
            )
        size = getattr(file, "size", None) or 0
        if size > self.max_bytes:
            raise ValidationError(
                _("“%(name)s” is %(size)s; the largest accepted is %(max)s."),
                code="file_size",
                params={
                    "name": name.rsplit("/", 1)[-1],
                    "size": filesizeformat(size),
                    "max": filesizeformat(self.max_bytes),
                },
            )
        signatures = SIGNATURES.get(extension, ())
        if signatures:
            position = file.tell() if hasattr(file, "tell") else 0
            file.seek(0)
            head = file.read(16)
            file.seek(position)
            if not any(head.startswith(signature) for signature in signatures):
                raise ValidationError(
                    _("“%(name)s” does not contain what its name says (%(ext)s)."),
                    code="file_content",
                    params={"name": name.rsplit("/", 1)[-1], "ext": extension.upper()},
                )


image_upload = UploadPolicy(IMAGE_TYPES, "IMAGE_UPLOAD_MAX_BYTES")
document_upload = UploadPolicy(DOCUMENT_TYPES, "UPLOAD_MAX_BYTES")
