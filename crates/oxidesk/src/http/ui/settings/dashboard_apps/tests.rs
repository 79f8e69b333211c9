use super::*;
use crate::service::ServiceError;
use oxidesk_domain::ValidationErrors;

#[test]
fn origins_are_the_non_blank_lines() {
    let form = AppForm {
        allowed_origins: " https://a.example \r\n\n\nhttp://b.example\n  ".into(),
        ..AppForm::default()
    };
    assert_eq!(
        form.origins(),
        vec!["https://a.example", "http://b.example"]
    );
    assert_eq!(
        form.origin_lines(),
        vec![
            (1, "https://a.example".to_owned()),
            (4, "http://b.example".to_owned())
        ]
    );
    assert_eq!(form.insecure(), vec!["http://b.example"]);
}

#[test]
fn an_error_on_an_origin_names_its_line() {
    let form = AppForm {
        allowed_origins: "https://a.example\n\njavascript:alert(1)".into(),
        ..AppForm::default()
    };
    let mut errors = ValidationErrors::new();
    errors.push("allowed_origins[1]", "must be an origin (got 'x')");
    let (status, shown) = form
        .errors(ServiceError::Invalid(errors))
        .unwrap_or_else(|_| (StatusCode::OK, FieldErrors::none()));
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        shown.get("allowed_origins"),
        Some("Line 3 must be an origin (got 'x')")
    );
}
