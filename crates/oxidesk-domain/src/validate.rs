//! Validation of what people type in. Each function names the field it checks in its error and
//! returns the value normalised (trimmed, lower-cased where the rule says so).

use crate::ValidationError;

/// The longest name, title or email we accept.
pub const MAX_SHORT_TEXT: usize = 255;
/// The longest message content (Chatwoot's limit).
pub const MAX_MESSAGE_LENGTH: usize = 150_000;
/// The shortest password.
pub const MIN_PASSWORD_LENGTH: usize = 8;
/// The longest password (argon2 would hash more, but nobody types more).
pub const MAX_PASSWORD_LENGTH: usize = 128;

/// A required, trimmed, non-empty text of at most [`MAX_SHORT_TEXT`] characters.
pub fn required_text(field: &str, value: &str) -> Result<String, ValidationError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::new(field, "is required"));
    }
    if trimmed.chars().count() > MAX_SHORT_TEXT {
        return Err(ValidationError::new(
            field,
            format!("is too long (at most {MAX_SHORT_TEXT} characters)"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// An optional text: blank becomes `None`; otherwise as [`required_text`].
pub fn optional_text(field: &str, value: Option<&str>) -> Result<Option<String>, ValidationError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => required_text(field, text).map(Some),
    }
}

/// An email address: one `@`, a local part, a domain with a dot, no spaces. Lower-cased.
pub fn email(field: &str, value: &str) -> Result<String, ValidationError> {
    let email = value.trim().to_lowercase();
    if email.is_empty() {
        return Err(ValidationError::new(field, "is required"));
    }
    let invalid = || ValidationError::new(field, format!("'{email}' is not a valid email address"));
    if email.len() > MAX_SHORT_TEXT || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid());
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(invalid());
    };
    let domain_ok = domain.contains('.')
        && !domain.contains('@')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..");
    if local.is_empty() || !domain_ok {
        return Err(invalid());
    }
    Ok(email)
}

/// A password for a new account: [`MIN_PASSWORD_LENGTH`] to [`MAX_PASSWORD_LENGTH`] characters.
pub fn password(field: &str, value: &str) -> Result<(), ValidationError> {
    let len = value.chars().count();
    if len < MIN_PASSWORD_LENGTH {
        return Err(ValidationError::new(
            field,
            format!("is too short (at least {MIN_PASSWORD_LENGTH} characters)"),
        ));
    }
    if len > MAX_PASSWORD_LENGTH {
        return Err(ValidationError::new(
            field,
            format!("is too long (at most {MAX_PASSWORD_LENGTH} characters)"),
        ));
    }
    Ok(())
}

/// A phone number in E.164 form: `+`, then 2 to 15 digits, the first not 0. Spaces, dashes and
/// brackets people type are removed first.
pub fn phone_number(field: &str, value: &str) -> Result<String, ValidationError> {
    let compact: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let digits = compact.strip_prefix('+').unwrap_or("");
    let ok = (2..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(compact)
    } else {
        Err(ValidationError::new(
            field,
            "must be in international format, e.g. +14155550123",
        ))
    }
}

/// A label title: letters, digits, `-` and `_`, lower-cased (Chatwoot's rule).
pub fn label_title(field: &str, value: &str) -> Result<String, ValidationError> {
    let title = required_text(field, value)?.to_lowercase();
    if title
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        Ok(title)
    } else {
        Err(ValidationError::new(
            field,
            "may contain only letters, digits, '-' and '_'",
        ))
    }
}

/// A colour as `#rrggbb` (lower-cased).
pub fn color(field: &str, value: &str) -> Result<String, ValidationError> {
    let color = value.trim().to_lowercase();
    let ok = color.len() == 7
        && color.starts_with('#')
        && color[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(color)
    } else {
        Err(ValidationError::new(field, "must be a colour like #1f93ff"))
    }
}

/// A custom attribute key: lower-case letters, digits and `_`, starting with a letter.
pub fn attribute_key(field: &str, value: &str) -> Result<String, ValidationError> {
    let key = required_text(field, value)?;
    let ok = key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(key)
    } else {
        Err(ValidationError::new(
            field,
            "may contain only lower-case letters, digits and '_', starting with a letter",
        ))
    }
}

/// Message content: at most [`MAX_MESSAGE_LENGTH`] characters; blank content is refused.
pub fn message_content(field: &str, value: &str) -> Result<String, ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::new(field, "is required"));
    }
    if value.chars().count() > MAX_MESSAGE_LENGTH {
        return Err(ValidationError::new(
            field,
            format!("is too long (at most {MAX_MESSAGE_LENGTH} characters)"),
        ));
    }
    Ok(value.to_owned())
}

/// An absolute `http://` or `https://` URL with a host. Anything else (`javascript:`, `data:`,
/// `file:`, relative paths) is refused.
pub fn http_url(field: &str, value: &str) -> Result<String, ValidationError> {
    let url = value.trim();
    let invalid = || {
        ValidationError::new(
            field,
            "must be a full URL starting with https:// or http://",
        )
    };
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(invalid)?;
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .rsplit('@')
        .next()
        .unwrap_or("");
    if host.is_empty()
        || host.starts_with(':')
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(invalid());
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            email("email", "  Sam@Example.COM ").ok().as_deref(),
            Some("sam@example.com")
        );
        for bad in [
            "",
            "sam",
            "sam@",
            "@example.com",
            "sam@example",
            "sam @example.com",
            "a@b@c.com",
            "sam@.com",
            "sam@example..com",
        ] {
            assert!(email("email", bad).is_err(), "{bad:?} must be refused");
        }
        assert_eq!(
            email("user.email", "x").err().map(|e| e.field),
            Some("user.email".into())
        );
    }

    #[test]
    fn passwords_need_eight_characters() {
        assert!(password("password", "short").is_err());
        assert!(password("password", "long enough").is_ok());
        assert!(password("password", &"x".repeat(129)).is_err());
    }

    #[test]
    fn phone_numbers_are_e164() {
        assert_eq!(
            phone_number("phone_number", "+1 (415) 555-0123")
                .ok()
                .as_deref(),
            Some("+14155550123")
        );
        for bad in ["4155550123", "+0123", "+1", "+12345678901234567", "+1abc"] {
            assert!(
                phone_number("phone_number", bad).is_err(),
                "{bad:?} must be refused"
            );
        }
    }

    #[test]
    fn label_titles_and_colours() {
        assert_eq!(
            label_title("title", "VIP-Customer").ok().as_deref(),
            Some("vip-customer")
        );
        assert!(label_title("title", "two words").is_err());
        assert!(label_title("title", "").is_err());
        assert_eq!(color("color", "#1F93FF").ok().as_deref(), Some("#1f93ff"));
        assert!(color("color", "blue").is_err());
        assert!(color("color", "#12345g").is_err());
    }

    #[test]
    fn attribute_keys() {
        assert!(attribute_key("attribute_key", "order_total").is_ok());
        for bad in ["Order", "1st", "order-total", ""] {
            assert!(
                attribute_key("attribute_key", bad).is_err(),
                "{bad:?} must be refused"
            );
        }
    }

    #[test]
    fn texts_are_required_and_bounded() {
        assert_eq!(
            required_text("name", "  Acme ").ok().as_deref(),
            Some("Acme")
        );
        assert!(required_text("name", "   ").is_err());
        assert!(required_text("name", &"a".repeat(256)).is_err());
        assert_eq!(optional_text("name", Some("  ")), Ok(None));
        assert!(message_content("content", " \n ").is_err());
        assert_eq!(
            message_content("content", " hi ").ok().as_deref(),
            Some(" hi ")
        );
    }

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(http_url("url", "https://crm.example.com/app?x=1").is_ok());
        assert!(http_url("url", "http://localhost:8080").is_ok());
        for bad in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "file:///etc/passwd",
            "/relative",
            "com",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "ftp://example.com",
        ] {
            assert!(http_url("url", bad).is_err(), "{bad:?} must be refused");
        }
    }
}
