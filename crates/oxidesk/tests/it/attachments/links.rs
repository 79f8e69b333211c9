//! Signed links: bound to their file and variant, expiring; without one, members only.

use axum::http::StatusCode;
use oxidesk::files::Variant;
use oxidesk_domain::{AttachmentId, Role, Timestamp};

use super::{fetch, path_of, png, post_three_files};
use crate::api_conversations::desk;
use crate::app_test;

app_test!(links_expire_and_open_only_their_file, |app| async move {
    let d = desk(&app).await;
    let message = post_three_files(&app, &d.admin_token, d.account.id).await;
    let image = &message["attachments"][0];
    let pdf = &message["attachments"][1];
    let link = path_of(image["data_url"].as_str().unwrap());
    let (ok, _) = fetch(&app, &link, &[]).await;
    assert_eq!(ok.status, StatusCode::OK);

    // A changed signature, another file's path with this signature, the thumbnail's variant:
    // refused.
    let last = if link.ends_with('0') { "1" } else { "0" };
    let tampered = format!("{}{last}", &link[..link.len() - 1]);
    assert_ne!(tampered, link);
    let (refused, _) = fetch(&app, &tampered, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let pdf_id = pdf["id"].as_i64().unwrap();
    let image_id = image["id"].as_i64().unwrap();
    let account = d.account.id;
    let other = link.replacen(
        &format!("/attachments/{account}/{image_id}/"),
        &format!("/attachments/{account}/{pdf_id}/"),
        1,
    );
    assert_ne!(other, link);
    let (refused, _) = fetch(&app, &other, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let thumb = link.replacen("/original/", "/thumb/", 1);
    let (refused, _) = fetch(&app, &thumb, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // An expired link (made two days ago with the one-day lifetime) is refused and says so.
    let attachment = app
        .services()
        .attachment(d.account.id, AttachmentId(image_id))
        .await
        .unwrap();
    let old = app.services().files.link_at(
        &attachment,
        Variant::Original,
        Timestamp(Timestamp::now().secs() - 2 * 86_400),
    );
    let (expired, _) = fetch(&app, &path_of(&old), &[]).await;
    assert_eq!(expired.status, StatusCode::FORBIDDEN);
    assert!(expired.body.contains("expired"), "{}", expired.body);

    // Without a link: a member's token or session, nobody else.
    let bare = link.split('?').next().unwrap().to_owned();
    let (anonymous, _) = fetch(&app, &bare, &[]).await;
    assert_eq!(
        anonymous.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        anonymous.body
    );
    let (member, bytes) = fetch(&app, &bare, &[("api_access_token", &d.agent_token)]).await;
    assert_eq!(member.status, StatusCode::OK, "{}", member.body);
    assert_eq!(bytes, png(800, 400));
    let mut browser = app.browser();
    browser.login("agent@acme.test", "password123").await;
    let page = browser.get(&bare).await;
    assert_eq!(page.status, StatusCode::OK);

    // Another account's agent gets nothing, with its own account id or with this one's.
    let (other_account, _) = app.account_with_admin("Other", "boss@other.test").await;
    app.member(&other_account, "spy@other.test", Role::Agent)
        .await;
    let spy = app.token("spy@other.test").await;
    let (refused, _) = fetch(&app, &bare, &[("api_access_token", &spy)]).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    let theirs = bare.replacen(
        &format!("/attachments/{}/", d.account.id),
        &format!("/attachments/{}/", other_account.id),
        1,
    );
    let (missing, _) = fetch(&app, &theirs, &[("api_access_token", &spy)]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.body);
    // Nor does a signed link moved to another account's path.
    let moved = link.replacen(
        &format!("/attachments/{}/", d.account.id),
        &format!("/attachments/{}/", other_account.id),
        1,
    );
    let (missing, _) = fetch(&app, &moved, &[]).await;
    assert_ne!(missing.status, StatusCode::OK);
    // And their own API does not list it.
    let (listed, _) = fetch(
        &app,
        &format!(
            "/api/v1/accounts/{}/conversations/1/messages",
            other_account.id
        ),
        &[("api_access_token", &spy)],
    )
    .await;
    assert_ne!(listed.status, StatusCode::OK);
});
