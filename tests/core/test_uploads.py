import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from govlab.core.uploads import image_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_image_upload_accepts_a_real_png():
    image_upload(SimpleUploadedFile("logo.png", PNG, content_type="image/png"))


def test_image_upload_refuses_svg_with_the_accepted_types():
    with pytest.raises(ValidationError) as error:
        image_upload(SimpleUploadedFile("logo.svg", b"<svg/>", content_type="image/svg+xml"))
    assert error.value.code == "file_type"
    assert "GIF, JPEG, JPG, PNG, WEBP" in str(error.value.messages[0])


def test_image_upload_refuses_content_that_is_not_what_the_name_says():
    with pytest.raises(ValidationError) as error:
        image_upload(SimpleUploadedFile("logo.png", b"MZ-not-an-image", content_type="image/png"))
    assert error.value.code == "file_content"


@override_settings(IMAGE_UPLOAD_MAX_BYTES=50)
def test_image_upload_refuses_oversized_files_saying_the_limit():
    with pytest.raises(ValidationError) as error:
        image_upload(SimpleUploadedFile("logo.png", PNG, content_type="image/png"))
    assert error.value.code == "file_size"
    assert "50\xa0bytes" in error.value.messages[0]
