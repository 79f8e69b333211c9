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

/// A count for people: thousands separated (`12,345`), and `1,000+` for a bounded count that
/// reached its limit.
pub(crate) fn count_label(n: i64, limit: Option<i64>) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 2);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    if limit.is_some_and(|limit| n >= limit) {
        out.push('+');
    }
    out
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

    #[test]
    fn counts_are_grouped_and_bounded_ones_say_more() {
        assert_eq!(super::count_label(0, None), "0");
        assert_eq!(super::count_label(999, None), "999");
        assert_eq!(super::count_label(1_000, None), "1,000");
        assert_eq!(super::count_label(1_234_567, None), "1,234,567");
        assert_eq!(super::count_label(999, Some(1_000)), "999");
        assert_eq!(super::count_label(1_000, Some(1_000)), "1,000+");
    }
}
