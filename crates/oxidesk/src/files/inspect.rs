//! What an uploaded file really is, from its bytes: the content type (`infer`'s magic numbers,
//! plus SVG, which it does not know), and for images the size and a thumbnail (`image`). The
//! name and type the client declared are never trusted. Runs on a blocking thread: decoding a
//! large image takes real CPU time.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};
use oxidesk_domain::FileType;

/// Thumbnails fit in a square of this many pixels (Chatwoot's are 250 wide).
pub const THUMB_SIZE: u32 = 320;
/// The largest image side decoded for width, height and thumbnail; larger images are kept
/// as files, without either.
const MAX_SIDE: u32 = 20_000;
/// The most memory one decode may take.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// What an upload's bytes are.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspected {
    /// The content type found in the bytes.
    pub content_type: String,
    /// Chatwoot's kind for it.
    pub file_type: FileType,
    /// Width in pixels (images that decoded).
    pub width: Option<i64>,
    /// Height in pixels.
    pub height: Option<i64>,
    /// The thumbnail (PNG for images with transparency, JPEG otherwise) and its content type.
    pub thumb: Option<Thumbnail>,
}

/// A thumbnail's bytes and content type.
pub type Thumbnail = (Vec<u8>, &'static str);

/// The content type of `bytes`: a known signature, else SVG or XML or plain text when the
/// bytes say so, else `application/octet-stream`.
pub fn content_type(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(4096)];
    let svg = || {
        String::from_utf8_lossy(head)
            .to_ascii_lowercase()
            .contains("<svg")
    };
    match infer::get(bytes).map(|kind| kind.mime_type()) {
        Some("text/xml") if svg() => "image/svg+xml".to_owned(),
        Some(found) => found.to_owned(),
        None if svg() => "image/svg+xml".to_owned(),
        None if std::str::from_utf8(head).is_ok()
            || std::str::from_utf8(head).is_err_and(|e| e.error_len().is_none()) =>
        {
            "text/plain".to_owned()
        }
        None => "application/octet-stream".to_owned(),
    }
}

/// Inspects `bytes` (blocking: call it from `spawn_blocking`).
pub fn inspect(bytes: &[u8]) -> Inspected {
    let content_type = content_type(bytes);
    let file_type = FileType::of(&content_type);
    let mut inspected = Inspected {
        content_type,
        file_type,
        width: None,
        height: None,
        thumb: None,
    };
    if file_type == FileType::Image
        && let Some((width, height, thumb)) = picture(bytes, &inspected.content_type)
    {
        inspected.width = Some(i64::from(width));
        inspected.height = Some(i64::from(height));
        inspected.thumb = thumb;
    }
    inspected
}

/// The size of an image and its thumbnail, when it decodes within the limits.
fn picture(bytes: &[u8], content_type: &str) -> Option<(u32, u32, Option<Thumbnail>)> {
    let format = ImageFormat::from_mime_type(content_type)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits.clone());
    let (width, height) = reader.into_dimensions().ok()?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let thumb = reader.decode().ok().and_then(|image| {
        let small = image.thumbnail(THUMB_SIZE, THUMB_SIZE);
        let mut out = Cursor::new(Vec::new());
        if small.color().has_alpha() {
            small.write_to(&mut out, ImageFormat::Png).ok()?;
            Some((out.into_inner(), "image/png"))
        } else {
            small.to_rgb8().write_to(&mut out, ImageFormat::Jpeg).ok()?;
            Some((out.into_inner(), "image/jpeg"))
        }
    });
    Some((width, height, thumb))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
        let mut out = Cursor::new(Vec::new());
        image
            .write_to(&mut out, ImageFormat::Png)
            .expect("encode png");
        out.into_inner()
    }

    #[test]
    fn the_bytes_decide_the_type() {
        assert_eq!(content_type(&png(2, 2)), "image/png");
        assert_eq!(content_type(b"%PDF-1.7\n..."), "application/pdf");
        assert_eq!(
            content_type(
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
            ),
            "image/svg+xml"
        );
        assert_eq!(
            content_type(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            "image/svg+xml"
        );
        assert_eq!(
            content_type(b"<!DOCTYPE html><html><script>1</script>"),
            "text/html"
        );
        assert_eq!(content_type(b"just some notes\n"), "text/plain");
        assert_eq!(
            content_type(&[0, 159, 146, 150, 1, 2]),
            "application/octet-stream"
        );
    }

    #[test]
    fn images_get_their_size_and_a_thumbnail() {
        let inspected = inspect(&png(1000, 500));
        assert_eq!(inspected.file_type, FileType::Image);
        assert_eq!((inspected.width, inspected.height), (Some(1000), Some(500)));
        let (thumb, kind) = inspected.thumb.expect("a thumbnail");
        assert_eq!(kind, "image/jpeg");
        let small = image::load_from_memory(&thumb).expect("thumbnail decodes");
        assert_eq!(
            (small.width(), small.height()),
            (THUMB_SIZE, THUMB_SIZE / 2)
        );
    }

    #[test]
    fn a_broken_image_is_kept_without_size() {
        let mut bytes = png(10, 10);
        bytes.truncate(40);
        let inspected = inspect(&bytes);
        assert_eq!(inspected.content_type, "image/png");
        assert_eq!(inspected.thumb, None);
    }
}
