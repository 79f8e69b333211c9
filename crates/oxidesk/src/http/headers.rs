//! Security headers on every response.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy of every page. The conversation page, which frames the account's
/// Dashboard Apps, uses [`content_security_policy`] with their origins instead.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: https:; connect-src 'self'; frame-src 'none'; frame-ancestors 'none'; \
    base-uri 'self'; form-action 'self'; object-src 'none'";

/// The page policy with `frame-src` listing exactly `origins` (`'none'` when empty). Anything
/// that is not a plain `scheme://host[:port]` origin is left out, so nothing can break out of the
/// directive.
pub fn content_security_policy(origins: &[String]) -> String {
    let allowed: Vec<&str> = origins
        .iter()
        .map(String::as_str)
        .filter(|o| {
            (o.starts_with("https://") || o.starts_with("http://"))
                && o.bytes().all(|b| {
                    b.is_ascii_alphanumeric()
                        || matches!(b, b'.' | b':' | b'/' | b'-' | b'[' | b']')
                })
        })
        .collect();
    let frames = if allowed.is_empty() {
        "'none'".to_owned()
    } else {
        allowed.join(" ")
    };
    CONTENT_SECURITY_POLICY.replace("frame-src 'none'", &format!("frame-src {frames}"))
}

/// Adds CSP, nosniff, referrer policy and framing protection unless a handler set its own.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let defaults = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in defaults {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_src_lists_exactly_the_origins() {
        let policy = content_security_policy(&[
            "https://orders.example.com".into(),
            "http://localhost:4000".into(),
        ]);
        assert!(
            policy.contains("; frame-src https://orders.example.com http://localhost:4000;"),
            "{policy}"
        );
        assert!(policy.contains("frame-ancestors 'none'"));
        assert_eq!(content_security_policy(&[]), CONTENT_SECURITY_POLICY);
    }

    #[test]
    fn odd_origins_cannot_inject_directives() {
        let policy = content_security_policy(&[
            "https://a.example; script-src *".into(),
            "javascript:alert(1)".into(),
            "*".into(),
        ]);
        assert!(policy.contains("frame-src 'none'"), "{policy}");
        assert!(!policy.contains("script-src *"));
    }
}
