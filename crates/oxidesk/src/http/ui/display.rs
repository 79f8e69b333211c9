//! Small text helpers the dashboard's pages share: names, initials, pictures, previews.

/// Up to two initials of a name, upper-case (`"Ada Lovelace"` → `"AL"`), `"?"` for none.
pub(crate) fn initials(name: &str) -> String {
    let letters: String = name
        .split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".into()
    } else {
        letters
    }
}

/// A picture URL that may be shown: `https://` only (the CSP allows no other remote images).
pub(crate) fn picture(url: &str) -> Option<String> {
    let url = url.trim();
    url.get(..8)
        .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
        .map(|_| url.to_owned())
}

/// `text` cut to `max` characters (with an ellipsis), whitespace runs folded into one space.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() <= max {
        folded
    } else {
        let cut: String = folded.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A name to show for a contact (the name may be empty for anonymous visitors).
pub(crate) fn contact_name(name: &str) -> String {
    if name.trim().is_empty() {
        "Anonymous".into()
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("  grace  brewster hopper "), "GB");
        assert_eq!(initials("<script>alert(1)</script>"), "S");
        assert_eq!(initials(""), "?");
    }

    #[test]
    fn truncates_on_characters() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("a  b\n\nc", 10), "a b c");
        assert_eq!(truncate("ééééééééééé", 5), "éééé…");
    }

    #[test]
    fn only_https_pictures() {
        assert_eq!(
            picture(" https://x.test/a.png").as_deref(),
            Some("https://x.test/a.png")
        );
        assert_eq!(picture("http://x.test/a.png"), None);
        assert_eq!(picture("javascript:alert(1)"), None);
    }

    #[test]
    fn anonymous_contacts() {
        assert_eq!(contact_name("  "), "Anonymous");
        assert_eq!(contact_name("Ada"), "Ada");
    }
}
