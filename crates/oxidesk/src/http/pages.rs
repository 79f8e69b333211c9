//! Pages: sign-in, sign-out, first-run onboarding, and the account's conversation list.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use oxidesk_domain::Role;
use serde::Deserialize;

use super::assets::asset_url;
use super::session::{self, MaybeSignedIn, SESSION_COOKIE, SignedIn};
use super::{AppState, PageError};
use crate::service::{LoginOutcome, NewAccount, NewMember, SESSION_DAYS, ServiceError};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(get_root))
        .route("/app", get(get_app))
        .route("/app/login", get(get_login).post(post_login))
        .route("/app/logout", post(post_logout))
        .route(
            "/installation/onboarding",
            get(get_onboarding).post(post_onboarding),
        )
}

pub(crate) fn render(template: &impl Template) -> Result<Html<String>, PageError> {
    template.render().map(Html).map_err(|e| {
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("render failed: {e}"),
        )
    })
}

async fn needs_onboarding(state: &AppState) -> Result<bool, PageError> {
    Ok(state
        .services
        .store
        .count_accounts()
        .await
        .map_err(ServiceError::from)?
        == 0)
}

/// `/`: onboarding on a fresh install, the app when signed in, the login otherwise.
async fn get_root(
    State(state): State<AppState>,
    MaybeSignedIn(signed_in): MaybeSignedIn,
) -> Result<Redirect, PageError> {
    if needs_onboarding(&state).await? {
        return Ok(Redirect::to("/installation/onboarding"));
    }
    Ok(Redirect::to(if signed_in.is_some() {
        "/app"
    } else {
        "/app/login"
    }))
}

/// `/app`: the first account of the signed-in user.
async fn get_app(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Redirect, PageError> {
    let memberships = state
        .services
        .store
        .memberships_of(signed_in.user.id)
        .await
        .map_err(ServiceError::from)?;
    match memberships.first() {
        Some((account, _)) => Ok(Redirect::to(&format!(
            "/app/accounts/{}/conversations",
            account.id
        ))),
        None => Err(PageError::new(
            StatusCode::FORBIDDEN,
            "Your user belongs to no account yet. Ask an administrator to add you.",
        )),
    }
}

#[derive(Template)]
#[template(path = "pages/login.html")]
struct LoginPage<'a> {
    brand: &'a str,
    css: String,
    csrf: String,
    email: String,
    error: Option<String>,
}

/// `GET /app/login`.
async fn get_login(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeSignedIn(signed_in): MaybeSignedIn,
) -> Result<Response, PageError> {
    if needs_onboarding(&state).await? {
        return Ok(Redirect::to("/installation/onboarding").into_response());
    }
    if signed_in.is_some() {
        return Ok(Redirect::to("/app").into_response());
    }
    login_form(&state, &headers, String::new(), None, StatusCode::OK)
}

fn login_form(
    state: &AppState,
    headers: &HeaderMap,
    email: String,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (csrf, cookie) = session::anonymous_csrf(state, headers);
    let page = LoginPage {
        brand: &state.config.brand.name,
        css: asset_url("css/app.css"),
        csrf,
        email,
        error,
    };
    let html = render(&page)?;
    Ok((status, cookie.into_iter().collect::<HeaderMap>(), html).into_response())
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /app/login`: checks the password, sets the session cookie.
async fn post_login(
    State(state): State<AppState>,
    headers: HeaderMap,
    request_parts: axum::http::Extensions,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    if !session::check_anonymous_csrf(&state, &headers, &form.csrf) {
        return login_form(
            &state,
            &headers,
            form.email,
            Some("This form has expired. Please try again.".into()),
            StatusCode::FORBIDDEN,
        );
    }
    if form.email.trim().is_empty() || form.password.is_empty() {
        return login_form(
            &state,
            &headers,
            form.email,
            Some("Enter your email and password.".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let ip = session::client_ip(&request_parts);
    match state.services.login(&form.email, &form.password, &ip).await {
        Ok(outcome) => Ok(signed_in_redirect(&state, &outcome, "/app")),
        Err(ServiceError::Unauthorized(message)) => login_form(
            &state,
            &headers,
            form.email,
            Some(format!("{message}.")),
            StatusCode::UNAUTHORIZED,
        ),
        Err(e @ ServiceError::TooManyAttempts { .. }) => {
            let error = PageError::from(e);
            login_form(
                &state,
                &headers,
                form.email,
                Some(error.message),
                StatusCode::TOO_MANY_REQUESTS,
            )
        }
        Err(e) => Err(e.into()),
    }
}

fn signed_in_redirect(state: &AppState, outcome: &LoginOutcome, to: &str) -> Response {
    let cookie = session::set_cookie(
        SESSION_COOKIE,
        &outcome.session_token,
        SESSION_DAYS * 24 * 3600,
        "Lax",
        state.config.is_https(),
    );
    ([cookie], Redirect::to(to)).into_response()
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /app/logout`: ends the session.
async fn post_logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    signed_in: SignedIn,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    signed_in.check_csrf(&headers, &form.csrf)?;
    state.services.logout(&signed_in.session_token).await?;
    let cookie = session::set_cookie(SESSION_COOKIE, "", 0, "Lax", state.config.is_https());
    Ok(([cookie], Redirect::to("/app/login")).into_response())
}

#[derive(Template)]
#[template(path = "pages/onboarding.html")]
struct OnboardingPage<'a> {
    brand: &'a str,
    css: String,
    csrf: String,
    form: OnboardingForm,
    errors: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
struct OnboardingForm {
    #[serde(default)]
    account_name: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

impl OnboardingPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

fn onboarding_form(
    state: &AppState,
    headers: &HeaderMap,
    form: OnboardingForm,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (csrf, cookie) = session::anonymous_csrf(state, headers);
    let page = OnboardingPage {
        brand: &state.config.brand.name,
        css: asset_url("css/app.css"),
        csrf,
        form: OnboardingForm {
            password: String::new(),
            ..form
        },
        errors,
    };
    let html = render(&page)?;
    Ok((status, cookie.into_iter().collect::<HeaderMap>(), html).into_response())
}

/// `GET /installation/onboarding`: the first-run form (only while no account exists).
async fn get_onboarding(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if !needs_onboarding(&state).await? {
        return Ok(Redirect::to("/app/login").into_response());
    }
    onboarding_form(
        &state,
        &headers,
        OnboardingForm::default(),
        Vec::new(),
        StatusCode::OK,
    )
}

/// `POST /installation/onboarding`: creates the first account and administrator, signs in.
async fn post_onboarding(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    Form(form): Form<OnboardingForm>,
) -> Result<Response, PageError> {
    if !session::check_anonymous_csrf(&state, &headers, &form.csrf) {
        let errors = vec![(
            "form".into(),
            "This form has expired. Please try again.".into(),
        )];
        return onboarding_form(&state, &headers, form, errors, StatusCode::FORBIDDEN);
    }
    let input = NewAccount {
        account_name: &form.account_name,
        admin: NewMember {
            name: &form.name,
            email: &form.email,
            password: &form.password,
            role: Role::Administrator,
        },
    };
    match state.services.create_first_account(&input).await {
        Ok((account, _)) => {
            let ip = session::client_ip(&extensions);
            let outcome = state
                .services
                .login(&form.email, &form.password, &ip)
                .await?;
            Ok(signed_in_redirect(
                &state,
                &outcome,
                &format!("/app/accounts/{}/conversations", account.id),
            ))
        }
        Err(ServiceError::Invalid(errors)) => {
            let errors = errors.0.into_iter().map(|e| (e.field, e.message)).collect();
            onboarding_form(
                &state,
                &headers,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(ServiceError::Conflict(_)) => Ok(Redirect::to("/app/login").into_response()),
        Err(e) => Err(e.into()),
    }
}
