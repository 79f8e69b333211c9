//! Files attached to messages: what kind a file is, how it is named and when it may be shown
//! inline. The bytes themselves live in an object store (`oxidesk::files`); these are the rules
//! on the data about them.

use crate::enums::string_enum;
use crate::ids::{AccountId, MessageId};
use crate::time::Timestamp;

string_enum! {
    /// Chatwoot's `file_type` of an uploaded file (the other values of its enum, `location`,
    /// `fallback`, `share`, …, come from channels Oxidesk does not have).
    FileType {
        /// A raster image a browser shows (JPEG, PNG, GIF, BMP, WebP).
        Image = "image",
        /// Any audio.
        Audio = "audio",
        /// A video a browser plays (MP4, WebM, Ogg, QuickTime).
        Video = "video",
        /// Anything else, SVG and HEIC included (as in Chatwoot).
        File = "file",
    }
}

/// An attachment's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct AttachmentId(pub i64);

impl AttachmentId {
    /// The number.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for AttachmentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The content types shown inline as images: the raster formats browsers decode, which carry
/// no script. Everything else (SVG, HTML, PDF, …) is served as a download.
pub const INLINE_IMAGE_TYPES: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/bmp",
    "image/webp",
];

/// Video types Chatwoot calls `video`.
const VIDEO_TYPES: &[&str] = &["video/ogg", "video/mp4", "video/webm", "video/quicktime"];

impl FileType {
    /// Chatwoot's rule (`FileTypeHelper`): the raster images browsers show, the videos they
    /// play, any audio; the rest is a `file`.
    pub fn of(content_type: &str) -> FileType {
        if INLINE_IMAGE_TYPES.contains(&content_type) {
            FileType::Image
        } else if VIDEO_TYPES.contains(&content_type) {
            FileType::Video
        } else if content_type.starts_with("audio/") {
            FileType::Audio
        } else {
            FileType::File
        }
    }
}

/// Whether a file of `content_type` may be shown in the browser rather than downloaded: the
/// raster images only.
pub fn shown_inline(content_type: &str) -> bool {
    INLINE_IMAGE_TYPES.contains(&content_type)
}

/// A file's name made safe to store and to put in a URL path and a `Content-Disposition`
/// header: the last path segment, control characters, quotes, slashes and backslashes and
/// `%` replaced by `_`, at most 120 characters; `file` when nothing is left.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '"' | '\'' | '%' | '?' | '#' | ';' | '<' | '>') {
                '_'
            } else {
                c
            }
        })
        .take(120)
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    if trimmed.is_empty() {
        "file".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// A file name's extension, lower-cased, without the dot (`png`), if it has a short plain one.
pub fn extension_of(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() || ext.is_empty() || ext.len() > 10 {
        return None;
    }
    ext.chars()
        .all(|c| c.is_ascii_alphanumeric())
        .then(|| ext.to_ascii_lowercase())
}

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// Id.
    pub id: AttachmentId,
    /// The account.
    pub account_id: AccountId,
    /// The message it belongs to.
    pub message_id: MessageId,
    /// What kind of file it is (from its bytes).
    pub file_type: FileType,
    /// The content type detected from the bytes.
    pub content_type: String,
    /// The extension of the name it was sent with, if any.
    pub extension: Option<String>,
    /// The name it was sent with, cleaned ([`clean_file_name`]).
    pub file_name: String,
    /// Size in bytes.
    pub byte_size: i64,
    /// Width in pixels (images).
    pub width: Option<i64>,
    /// Height in pixels (images).
    pub height: Option<i64>,
    /// Where the bytes are in the object store.
    pub storage_key: String,
    /// Where the thumbnail is (images), if one was made.
    pub thumb_key: Option<String>,
    /// When it was uploaded.
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_types_follow_chatwoot() {
        assert_eq!(FileType::of("image/png"), FileType::Image);
        assert_eq!(FileType::of("image/svg+xml"), FileType::File);
        assert_eq!(FileType::of("image/heic"), FileType::File);
        assert_eq!(FileType::of("audio/mpeg"), FileType::Audio);
        assert_eq!(FileType::of("video/mp4"), FileType::Video);
        assert_eq!(FileType::of("application/pdf"), FileType::File);
        assert_eq!(FileType::of("text/html"), FileType::File);
    }

    #[test]
    fn only_raster_images_are_inline() {
        assert!(shown_inline("image/png"));
        assert!(!shown_inline("image/svg+xml"));
        assert!(!shown_inline("text/html"));
        assert!(!shown_inline("application/pdf"));
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\me\\a b.png"), "a b.png");
        assert_eq!(
            clean_file_name("x\"; filename=evil\r\n.txt"),
            "x__ filename=evil__.txt"
        );
        assert_eq!(clean_file_name(".."), "file");
        assert_eq!(clean_file_name(""), "file");
        assert_eq!(clean_file_name(&"é".repeat(300)).chars().count(), 120);
    }

    #[test]
    fn extensions_are_short_and_lower_case() {
        assert_eq!(extension_of("photo.PNG").as_deref(), Some("png"));
        assert_eq!(extension_of("archive.tar.gz").as_deref(), Some("gz"));
        assert_eq!(extension_of("README"), None);
        assert_eq!(extension_of(".bashrc"), None);
        assert_eq!(extension_of("a.p n g"), None);
    }
}
