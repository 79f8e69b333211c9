use super::*;
use serde_json::json;

#[test]
fn known_and_unknown_placeholders() {
    assert!(check_template("https://a.example/{{conversation.id}}?e={{ contact.email }}").is_ok());
    assert!(check_template("https://a.example/x?k={{contact.custom_attributes.plan_2}}").is_ok());
    assert!(
        check_template("https://a.example/#{{conversation.custom_attributes.order-id}}").is_ok()
    );
    let error = check_template("https://a.example/{{contact.password}}")
        .err()
        .unwrap_or_default();
    assert!(error.contains("{{contact.password}}"), "{error}");
    assert!(
        error.contains("agent.email"),
        "lists the known ones: {error}"
    );
    assert!(check_template("https://a.example/{{contact.custom_attributes.}}").is_err());
    assert!(check_template("https://a.example/{{contact.custom_attributes.a/b}}").is_err());
    assert!(check_template("https://a.example/{{contact.id").is_err());
}

#[test]
fn placeholders_only_after_the_origin() {
    for bad in [
        "https://{{contact.id}}.example/",
        "https://a.example:{{contact.id}}/",
        "https://{{contact.email}}@a.example/",
        "{{account.id}}://a.example/",
        "https://a.example{{conversation.id}}",
    ] {
        let error = check_template(bad).err().unwrap_or_default();
        assert!(error.contains("only after the host"), "{bad}: {error}");
    }
    assert!(check_template("https://a.example/{{conversation.id}}").is_ok());
    assert!(check_template("https://a.example?c={{conversation.id}}").is_ok());
    assert!(check_template("https://a.example\\{{conversation.id}}").is_ok());
}

#[test]
fn hostile_values_stay_inside_their_parameter() {
    let values = json!({
        "contact": {"id": 7, "email": "a&b=c#d/e?\"'<x> é@ex.com", "phone_number": null,
                    "custom_attributes": {"plan": "gold & co"}},
        "conversation": {"id": 42},
        "agent": {"id": 1},
        "account": {"id": 3},
    });
    let url = fill(
        "https://a.example/c/{{conversation.id}}?e={{contact.email}}&p={{contact.phone_number}}&k={{contact.custom_attributes.plan}}&a={{account.id}}#{{contact.id}}",
        &values,
    );
    assert_eq!(
        url,
        "https://a.example/c/42?e=a%26b%3Dc%23d%2Fe%3F%22%27%3Cx%3E%20%C3%A9%40ex.com&p=&k=gold%20%26%20co&a=3#7"
    );
    let parsed = Url::parse(&url).ok();
    let pairs: Vec<(String, String)> = parsed
        .iter()
        .flat_map(|u| u.query_pairs().into_owned())
        .collect();
    assert_eq!(pairs[0].1, "a&b=c#d/e?\"'<x> é@ex.com");
    assert_eq!(pairs.len(), 4);
    assert_eq!(
        fill("https://a.example/plain", &values),
        "https://a.example/plain"
    );
}

#[test]
fn tricky_urls_read_as_browsers_read_them() {
    let origin = |u: &str| origin_of(u);
    assert_eq!(
        origin("https://CRM.Example.COM:443/app?x#y").as_deref(),
        Some("https://crm.example.com")
    );
    assert_eq!(
        origin("http://crm.example.com:80/").as_deref(),
        Some("http://crm.example.com")
    );
    assert_eq!(
        origin("https://crm.example.com:8443").as_deref(),
        Some("https://crm.example.com:8443")
    );
    // A backslash ends the host, as in browsers.
    assert_eq!(
        origin("https://a.example\\@b.example/").as_deref(),
        Some("https://a.example")
    );
    // Non-ASCII hosts in punycode, as browsers report origins.
    assert_eq!(
        origin("https://Bücher.example/x").as_deref(),
        Some("https://xn--bcher-kva.example")
    );
    assert_eq!(
        origin("https://xn--bcher-kva.example/").as_deref(),
        Some("https://xn--bcher-kva.example")
    );
    // Percent-encoded hosts are decoded.
    assert_eq!(
        origin("https://%63rm.example.com/").as_deref(),
        Some("https://crm.example.com")
    );
    assert_eq!(origin("https://crm%2Fevil.example/"), None);
    // IPv6.
    assert_eq!(
        origin("http://[::1]:8080/").as_deref(),
        Some("http://[::1]:8080")
    );
    assert_eq!(
        origin("http://[0:0:0:0:0:0:0:1]/").as_deref(),
        Some("http://[::1]")
    );
    // Userinfo: refused (browsers do not frame it, agents could read it).
    assert_eq!(origin("https://user:pass@crm.example.com/"), None);
    assert_eq!(origin("https://user@crm.example.com/"), None);
    assert!(
        check_http_url("https://user:pass@crm.example.com/")
            .err()
            .unwrap_or_default()
            .contains("user name")
    );
    // Tabs and newlines, which browsers drop silently: refused.
    assert_eq!(origin("https://crm.exa\tmple.com/"), None);
    assert_eq!(origin("https://crm.example.com/a\nb"), None);
    assert_eq!(origin("java\tscript:alert(1)"), None);
    // Not http(s), relative, no host.
    for bad in [
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "//evil.example",
        "/x",
        "https://",
        "https:///path",
        "https:\\\\evil.example",
        "https:evil.example",
        "ftp://a.example",
    ] {
        assert_eq!(origin(bad), None, "{bad}");
    }
    // A template's origin is fixed.
    assert_eq!(
        origin("https://a.example/{{contact.id}}").as_deref(),
        Some("https://a.example")
    );
}

#[test]
fn locality() {
    assert!(is_local("http://localhost:3000"));
    assert!(is_local("http://LOCALHOST/"));
    assert!(is_local("http://app.localhost/"));
    assert!(is_local("http://127.0.0.1/x"));
    assert!(is_local("http://127.1.2.3/x"));
    assert!(is_local("http://[::1]:8080/"));
    assert!(!is_local("http://crm.example.com"));
    assert!(!is_local("http://localhost.evil.example"));
}
