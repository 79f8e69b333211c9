//! A message's files as the thread shows them: images as a thumbnail linking to the full
//! image, other files as a download with their name and size. Links are the signed ones of
//! the API's `data_url`/`thumb_url`, made relative so they follow the host the page came from.

use crate::views::AttachmentView;

/// One file of a message in the thread.
#[derive(Debug, Clone)]
pub(super) struct FileItem {
    /// The name it was sent with.
    pub name: String,
    /// Its size for people (`12 KB`).
    pub size: String,
    /// The link to the file.
    pub href: String,
    /// The thumbnail's link (images only).
    pub thumb: Option<String>,
}

impl From<&AttachmentView> for FileItem {
    fn from(a: &AttachmentView) -> Self {
        FileItem {
            name: a.file_name.clone(),
            size: human_size(a.file_size),
            href: relative(&a.data_url),
            thumb: (a.file_type == "image" && !a.thumb_url.is_empty())
                .then(|| relative(&a.thumb_url)),
        }
    }
}

/// The path and query of an absolute link.
fn relative(link: &str) -> String {
    match url::Url::parse(link) {
        Ok(url) => url[url::Position::BeforePath..].to_owned(),
        Err(_) => link.to_owned(),
    }
}

/// `512 bytes`, `12 KB`, `3.4 MB`.
pub(super) fn human_size(bytes: i64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} bytes")
    } else if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else if b < KB * KB * KB {
        format!("{:.1} MB", b / (KB * KB))
    } else {
        format!("{:.1} GB", b / (KB * KB * KB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(12 * 1024 + 100), "12 KB");
        assert_eq!(human_size(3_565_158), "3.4 MB");
    }

    #[test]
    fn links_become_relative() {
        assert_eq!(
            relative(
                "http://127.0.0.1:3000/attachments/1/2/original/a%20b.png?expires=1&signature=ab"
            ),
            "/attachments/1/2/original/a%20b.png?expires=1&signature=ab"
        );
    }
}
