//! The signed token beside every `appContext`, verified with `jsonwebtoken` on AWS-LC: a JOSE
//! implementation independent of the signing code (ed25519-dalek, JWS written by hand), with
//! the keys fetched from `/.well-known/jwks.json` as an app's server would. Forgeries are
//! refused: changed data (hash), an expired token, an unknown or wrong key, a changed claim.
//! Rotation keeps older tokens verifiable; instances on one database share the key.

use axum::http::{Method, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use oxidesk::service::{AppContextClaims, ContactInput, Services, StartConversation};
use oxidesk_domain::Timestamp;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::app_test;
use crate::support::TestApp;

const APP_ORIGIN: &str = "https://orders.example.com";

struct Setup {
    account: i64,
    conversation: i64,
    contact: i64,
    app: i64,
    admin: i64,
}

async fn setup(app: &TestApp) -> Setup {
    let (account, admin) = app.account_with_admin("Acme", "admin@acme.test").await;
    let services = app.services();
    let inbox = services
        .create_api_inbox(account.id, "Website", None)
        .await
        .unwrap();
    let ada = services
        .create_contact(
            account.id,
            &ContactInput {
                name: Some("Ada".into()),
                ..ContactInput::default()
            },
        )
        .await
        .unwrap();
    let conversation = services
        .start_conversation(account.id, &StartConversation::new(inbox.id, ada.id))
        .await
        .unwrap();
    let token = app.token("admin@acme.test").await;
    let created = app
        .browser()
        .json(
            Method::POST,
            &format!("/api/v1/accounts/{}/dashboard_apps", account.id.get()),
            &[("api_access_token", &token)],
            json!({"title": "Orders", "content": [{"type": "frame", "url": format!("{APP_ORIGIN}/agent")}]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    Setup {
        account: account.id.get(),
        conversation: conversation.display_id.get(),
        contact: ada.id.get(),
        app: created.json()["id"].as_i64().unwrap(),
        admin: admin.id.get(),
    }
}

/// The context endpoint's answer, as the dashboard fetches it.
async fn fresh_context(app: &TestApp, s: &Setup) -> Value {
    let mut browser = app.browser();
    browser.login("admin@acme.test", "password123").await;
    let response = browser
        .get(&format!(
            "/app/accounts/{}/conversations/{}/context",
            s.account, s.conversation
        ))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

async fn jwks(app: &TestApp) -> JwkSet {
    let response = app.browser().get("/.well-known/jwks.json").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        response.header("cache-control"),
        Some("public, max-age=300")
    );
    // Only public members: never the private key.
    for key in response.json()["keys"].as_array().unwrap() {
        let mut members: Vec<&str> = key
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        members.sort_unstable();
        assert_eq!(members, ["alg", "crv", "kid", "kty", "use", "x"], "{key}");
    }
    serde_json::from_str(&response.body).unwrap()
}

/// Verifies `token` as an app's server would: the key named by its `kid` in the JWK set, EdDSA,
/// issuer, audience, expiry.
fn verify(token: &str, keys: &JwkSet, issuer: &str) -> Result<Value, ErrorKind> {
    let header = jsonwebtoken::decode_header(token).map_err(|e| e.into_kind())?;
    assert_eq!(header.alg, Algorithm::EdDSA);
    let kid = header.kid.ok_or(ErrorKind::InvalidToken)?;
    let jwk = keys.find(&kid).ok_or(ErrorKind::InvalidKeyFormat)?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| e.into_kind())?;
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[APP_ORIGIN]);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud"]);
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .map(|t| t.claims)
        .map_err(|e| e.into_kind())
}

/// SHA-256, base64url, of `data` written with sorted keys and no whitespace: RFC 8785 for a
/// payload without fractions (serde_json's maps are sorted here), computed apart from the code
/// under test.
fn hash(data: &Value) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(
        serde_json::to_string(data).unwrap().as_bytes(),
    ))
}

fn issuer(app: &TestApp) -> String {
    app.state.config.public_url()
}

app_test!(
    tokens_verify_with_an_independent_jose_library,
    |app| async move {
        let s = setup(&app).await;
        let fresh = fresh_context(&app, &s).await;
        let keys = jwks(&app).await;
        assert_eq!(keys.keys.len(), 1);
        assert_eq!(fresh["expires_in"], json!(300));
        for theme in ["light", "dark"] {
            let token = fresh["tokens"][s.app.to_string()][theme].as_str().unwrap();
            let claims = verify(token, &keys, &issuer(&app)).unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(claims["iss"], json!(issuer(&app)));
            assert_eq!(claims["aud"], json!([APP_ORIGIN]));
            assert_eq!(claims["app_id"], json!(s.app));
            assert_eq!(claims["account_id"], json!(s.account));
            assert_eq!(claims["agent_id"], json!(s.admin));
            assert_eq!(claims["conversation_id"], json!(s.conversation));
            assert_eq!(claims["contact_id"], json!(s.contact));
            assert_eq!(
                claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
                300
            );
            assert_eq!(claims["exp"], fresh["expires_at"]);
            assert!(claims["jti"].as_str().unwrap().len() >= 16);
            // The hash covers `data` exactly as posted, theme included.
            let mut data = fresh["data"].clone();
            data["theme"] = json!(theme);
            assert_eq!(claims["data_sha256"], json!(hash(&data)), "{theme}");
            // Changed data no longer matches.
            data["contact"]["name"] = json!("Mallory");
            assert_ne!(claims["data_sha256"], json!(hash(&data)));
        }
        let light = fresh["tokens"][s.app.to_string()]["light"]
            .as_str()
            .unwrap();
        let dark = fresh["tokens"][s.app.to_string()]["dark"].as_str().unwrap();
        let jti = |t: &str| verify(t, &keys, &issuer(&app)).unwrap()["jti"].clone();
        assert_ne!(jti(light), jti(dark), "each token has its own id");

        // Another issuer or audience is refused.
        assert_eq!(
            verify(light, &keys, "https://other.example").unwrap_err(),
            ErrorKind::InvalidIssuer
        );
        // A changed claim breaks the signature.
        let parts: Vec<&str> = light.split('.').collect();
        let mut claims: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        claims["conversation_id"] = json!(999);
        let changed = format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap()),
            parts[2]
        );
        assert_eq!(
            verify(&changed, &keys, &issuer(&app)).unwrap_err(),
            ErrorKind::InvalidSignature
        );
        // An unknown kid finds no key.
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"EdDSA","kid":"nope","typ":"JWT"}"#);
        let unknown = format!("{header}.{}.{}", parts[1], parts[2]);
        assert_eq!(
            verify(&unknown, &keys, &issuer(&app)).unwrap_err(),
            ErrorKind::InvalidKeyFormat
        );

        // An expired token (signed by the real key) is refused.
        let now = Timestamp::now().secs();
        let expired = app
            .services()
            .keys
            .sign(
                &app.services().store,
                &AppContextClaims {
                    iss: issuer(&app),
                    aud: vec![APP_ORIGIN.into()],
                    iat: now - 400,
                    exp: now - 100,
                    jti: "expired".into(),
                    app_id: s.app,
                    account_id: s.account,
                    agent_id: s.admin,
                    conversation_id: s.conversation,
                    contact_id: s.contact,
                    data_sha256: String::new(),
                },
            )
            .await
            .unwrap();
        assert_eq!(
            verify(&expired, &keys, &issuer(&app)).unwrap_err(),
            ErrorKind::ExpiredSignature
        );
    }
);

app_test!(rotation_keeps_old_tokens_verifiable, |app| async move {
    let s = setup(&app).await;
    let before = fresh_context(&app, &s).await;
    let old = before["tokens"][s.app.to_string()]["light"]
        .as_str()
        .unwrap()
        .to_owned();
    let old_kid = jsonwebtoken::decode_header(&old).unwrap().kid.unwrap();

    let (new_kid, retired) = app.services().rotate_signing_key().await.unwrap();
    assert_eq!(retired.as_deref(), Some(old_kid.as_str()));
    assert_ne!(new_kid, old_kid);
    let keys = jwks(&app).await;
    let kids: Vec<String> = keys
        .keys
        .iter()
        .filter_map(|k| k.common.key_id.clone())
        .collect();
    assert_eq!(
        kids,
        [new_kid.clone(), old_kid.clone()],
        "the new key first, the old one kept"
    );
    verify(&old, &keys, &issuer(&app)).expect("a token of the retired key still verifies");

    let after = fresh_context(&app, &s).await;
    let new = after["tokens"][s.app.to_string()]["light"]
        .as_str()
        .unwrap();
    assert_eq!(jsonwebtoken::decode_header(new).unwrap().kid, Some(new_kid));
    verify(new, &keys, &issuer(&app)).unwrap();
});

app_test!(
    instances_share_the_key_and_need_the_same_secret,
    |app| async move {
        let first = app.services().jwks().await.unwrap();
        // Another instance on the same database and secret key publishes (and signs with) it.
        let twin = Services::new(
            app.services().store.clone(),
            b"test-secret-key-of-at-least-32-bytes".to_vec(),
        );
        assert_eq!(twin.jwks().await.unwrap(), first);
        // One with another secret key cannot use it, and says why.
        let stranger = Services::new(
            app.services().store.clone(),
            b"another-secret-key-of-32-bytes-or-more".to_vec(),
        );
        let error = stranger.jwks().await.unwrap_err().to_string();
        assert!(error.contains("secret key"), "{error}");
        assert!(!error.contains("test-secret"), "{error}");
    }
);
