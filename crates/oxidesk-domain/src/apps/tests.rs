use super::*;

fn frame(kind: &str, url: &str) -> AppFrameInput {
    AppFrameInput {
        kind: Some(kind.into()),
        url: Some(url.into()),
    }
}

#[test]
fn a_valid_app_is_normalised() {
    let (title, frames) = validate_app(
        Some("  CRM "),
        Some(&[frame("frame", " https://crm.example.com/app ")]),
    )
    .unwrap_or_default();
    assert_eq!(title, "CRM");
    assert_eq!(
        frames,
        vec![AppFrame {
            kind: "frame".into(),
            url: "https://crm.example.com/app".into()
        }]
    );
}

#[test]
fn each_problem_names_its_field() {
    let errors = validate_app(Some(" "), Some(&[frame("dda", "com")]))
        .err()
        .unwrap_or_default();
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["title", "content[0].type", "content[0].url"]);
    assert_eq!(errors.0[0].message, "A name is required");
    assert_eq!(
        errors.0[2].message,
        "Enter a full URL starting with https:// or http://"
    );
    let empty = validate_app(Some("x"), Some(&[])).err().unwrap_or_default();
    assert_eq!(empty.0[0].field, "content");
    let missing = validate_app(Some("x"), None).err().unwrap_or_default();
    assert_eq!(missing.0[0].field, "content");
}

#[test]
fn dangerous_schemes_are_refused() {
    for url in [
        "javascript:alert(1)",
        "data:text/html,<script>",
        "file:///etc/passwd",
        "/relative/path",
        "//evil.example",
    ] {
        assert!(
            validate_app(Some("x"), Some(&[frame("frame", url)])).is_err(),
            "{url} must be refused"
        );
    }
    assert!(validate_app(Some("x"), Some(&[frame("frame", "http://localhost:8080")])).is_ok());
}

#[test]
fn origins_and_locality() {
    assert_eq!(
        origin_of("https://CRM.example.com:443/app?x#y").as_deref(),
        Some("https://crm.example.com")
    );
    assert_eq!(
        origin_of("http://localhost:8080/a").as_deref(),
        Some("http://localhost:8080")
    );
    assert_eq!(origin_of("javascript:alert(1)"), None);
    assert!(is_local("http://localhost:3000"));
    assert!(is_local("http://127.0.0.1/x"));
    assert!(is_local("http://[::1]:8080/"));
    assert!(!is_local("http://crm.example.com"));
    assert!(!is_local("http://localhost.evil.example"));
}

fn app(urls: &[&str], allowed: &[&str]) -> DashboardApp {
    DashboardApp {
        id: DashboardAppId(1),
        account_id: AccountId(1),
        user_id: None,
        title: "CRM".into(),
        content: urls
            .iter()
            .map(|u| AppFrame {
                kind: "frame".into(),
                url: (*u).into(),
            })
            .collect(),
        allowed_origins: allowed.iter().map(|o| (*o).to_owned()).collect(),
        settings: AppSettings::default(),
        load_failures: 0,
        last_failure: None,
        created_at: Timestamp(0),
        updated_at: Timestamp(0),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn an_apps_origins_are_its_frames_then_its_extra_origins_without_duplicates() {
    let crm = app(
        &[
            "https://crm.example.com/app?x=1",
            "https://CRM.example.com:443/other",
            "http://localhost:8080/orders",
        ],
        &["https://login.example.com", "http://localhost:8080"],
    );
    assert_eq!(
        crm.origins(),
        strings(&[
            "https://crm.example.com",
            "http://localhost:8080",
            "https://login.example.com",
        ])
    );
    assert_eq!(
        app(&["https://a.example/x"], &[]).origins(),
        strings(&["https://a.example"])
    );
    // Whatever got stored, only origins come out.
    assert_eq!(
        app(&["javascript:alert(1)"], &["data:text/html,x"]).origins(),
        Vec::<String>::new()
    );
}

#[test]
fn allowed_origins_keep_only_the_origin_of_each_url() {
    let origins = validate_allowed_origins(&strings(&[
        " https://Login.Example.com/sso?next=/app ",
        "http://localhost:3000",
        "https://login.example.com:443",
        "https://auth.example.com:8443/",
    ]))
    .unwrap_or_default();
    assert_eq!(
        origins,
        strings(&[
            "https://login.example.com",
            "http://localhost:3000",
            "https://auth.example.com:8443",
        ])
    );
    assert_eq!(validate_allowed_origins(&[]), Ok(vec![]));
}

#[test]
fn bad_allowed_origins_name_their_entry() {
    for bad in [
        "javascript:alert(1)",
        "data:text/html,<script>",
        "file:///etc/passwd",
        "/relative",
        "//evil.example",
        "login.example.com",
        "ftp://example.com",
        "https://",
        "",
    ] {
        let errors = validate_allowed_origins(&strings(&["https://ok.example", bad]))
            .err()
            .unwrap_or_default();
        assert_eq!(errors.0.len(), 1, "{bad:?} must be refused");
        assert_eq!(errors.0[0].field, "allowed_origins[1]", "{bad:?}");
        assert!(
            errors.0[0].message.starts_with("must be an origin"),
            "{bad:?}: {}",
            errors.0[0].message
        );
    }
    let long = format!("https://{}.example", "a".repeat(3000));
    assert!(validate_allowed_origins(&[long]).is_err());
    let errors = validate_allowed_origins(&strings(&["javascript:alert(1)"]))
        .err()
        .unwrap_or_default();
    assert!(errors.0[0].message.contains("(got 'javascript:alert(1)')"));
}

#[test]
fn at_most_ten_allowed_origins() {
    let ten: Vec<String> = (0..MAX_ALLOWED_ORIGINS)
        .map(|i| format!("https://o{i}.example"))
        .collect();
    assert_eq!(validate_allowed_origins(&ten).map(|o| o.len()), Ok(10));
    let mut eleven = ten;
    eleven.push("https://one-more.example".into());
    let errors = validate_allowed_origins(&eleven).err().unwrap_or_default();
    assert_eq!(errors.0[0].field, "allowed_origins");
    assert!(errors.0[0].message.contains("at most 10"));
}

#[test]
fn plain_http_to_another_machine_is_insecure() {
    assert!(insecure_remote("http://crm.example.com/app"));
    assert!(insecure_remote("HTTP://crm.example.com"));
    assert!(!insecure_remote("https://crm.example.com"));
    assert!(!insecure_remote("http://localhost:8080/app"));
    assert!(!insecure_remote("http://127.0.0.1:3000"));
    assert!(!insecure_remote("http://app.localhost"));
    assert!(!insecure_remote("http://[::1]:8080"));
    assert!(insecure_remote("http://localhost.evil.example"));
    assert!(!insecure_remote("javascript:alert(1)"));
}

#[test]
fn visibility_by_inbox_team_role_and_creator() {
    let mut crm = app(&["https://a.example/"], &[]);
    crm.user_id = Some(UserId(5));
    let viewer = |user, role, conversation| AppViewer {
        user: UserId(user),
        role,
        conversation,
    };
    let in_inbox = |inbox, team: Option<i64>| Some((InboxId(inbox), team.map(TeamId)));
    let agent = viewer(9, Role::Agent, in_inbox(1, None));
    assert!(crm.visible_to(&agent), "no rules: everyone");
    assert!(crm.visible_to(&viewer(9, Role::Agent, None)));
    crm.settings.visibility.inbox_ids = vec![2];
    assert!(!crm.visible_to(&agent));
    assert!(crm.visible_to(&viewer(9, Role::Agent, in_inbox(2, None))));
    assert!(
        !crm.visible_to(&viewer(9, Role::Agent, None)),
        "no conversation, no inbox"
    );
    crm.settings.visibility.team_ids = vec![4];
    assert!(!crm.visible_to(&viewer(9, Role::Agent, in_inbox(2, None))));
    assert!(!crm.visible_to(&viewer(9, Role::Agent, in_inbox(2, Some(3)))));
    assert!(crm.visible_to(&viewer(9, Role::Agent, in_inbox(2, Some(4)))));
    crm.settings.visibility.roles = vec![Role::Administrator];
    assert!(!crm.visible_to(&viewer(9, Role::Agent, in_inbox(2, Some(4)))));
    assert!(crm.visible_to(&viewer(9, Role::Administrator, in_inbox(2, Some(4)))));
    crm.settings.visibility.only_creator = true;
    assert!(!crm.visible_to(&viewer(9, Role::Administrator, in_inbox(2, Some(4)))));
    assert!(crm.visible_to(&viewer(5, Role::Administrator, in_inbox(2, Some(4)))));
    crm.user_id = None;
    assert!(!crm.visible_to(&viewer(5, Role::Administrator, in_inbox(2, Some(4)))));
}

#[test]
fn templates_are_checked_when_saved() {
    let ok = validate_app(
        Some("x"),
        Some(&[frame(
            "frame",
            "https://a.example/c/{{conversation.id}}?e={{contact.email}}",
        )]),
    );
    assert!(ok.is_ok());
    let errors = validate_app(
        Some("x"),
        Some(&[
            frame("frame", "https://a.example/"),
            frame("frame", "https://a.example/{{contact.ssn}}"),
        ]),
    )
    .err()
    .unwrap_or_default();
    assert_eq!(errors.0[0].field, "content[1].url");
    assert!(errors.0[0].message.contains("{{contact.ssn}}"));
    let errors = validate_app(
        Some("x"),
        Some(&[frame("frame", "https://{{account.id}}.a.example/")]),
    )
    .err()
    .unwrap_or_default();
    assert_eq!(errors.0[0].field, "content[0].url");
    assert!(validate_allowed_origins(&strings(&["https://a.example/{{contact.id}}"])).is_err());
}

#[test]
fn a_backslash_ends_the_host_as_in_browsers() {
    assert_eq!(
        origin_of("https://a.example\\@b.example/").as_deref(),
        Some("https://a.example")
    );
}
