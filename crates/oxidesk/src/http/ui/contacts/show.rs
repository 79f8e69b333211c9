//! One contact's page: details, additional and custom attributes, social profiles, labels,
//! conversations, and the edit form.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use oxidesk_domain::{AttributeModel, Attributes, Contact, ContactId};
use serde::Deserialize;
use serde_json::Value;

use super::facts::{Detail, SHOWN_KEYS, Social, custom_details, details, humanize, socials};
use super::{Avatar, contact_name, text_at, truncate, value_text};
use crate::http::pages::render;
use crate::http::ui::settings::ItemId;
use crate::http::ui::settings::forms::{Field, FieldErrors, Pairs, When, saved, with_status};
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::ContactInput;

/// The fields of the edit form.
const FIELDS: &[Field] = &[
    ("name", "name", "Name"),
    ("email", "email", "Email"),
    ("phone_number", "phone_number", "Phone number"),
    ("identifier", "identifier", "Identifier"),
];

/// The edit form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct ContactForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone_number: String,
    #[serde(default)]
    identifier: String,
    #[serde(default)]
    company_name: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    country: String,
}

impl ContactForm {
    fn of(contact: &Contact) -> Self {
        let extra = &contact.additional_attributes;
        Self {
            csrf: String::new(),
            name: contact.name.clone(),
            email: contact.email.clone().unwrap_or_default(),
            phone_number: contact.phone_number.clone().unwrap_or_default(),
            identifier: contact.identifier.clone().unwrap_or_default(),
            company_name: text_at(extra, "company_name").unwrap_or_default(),
            city: text_at(extra, "city").unwrap_or_default(),
            country: text_at(extra, "country").unwrap_or_default(),
        }
    }

    /// The change: every field replaces the old value; a blank one clears it.
    fn patch(&self) -> ContactInput {
        let text = |v: &str| match v.trim() {
            "" => Value::Null,
            t => Value::String(t.to_owned()),
        };
        let mut additional = Attributes::new();
        additional.insert("company_name".into(), text(&self.company_name));
        additional.insert("city".into(), text(&self.city));
        additional.insert("country".into(), text(&self.country));
        ContactInput {
            name: Some(self.name.clone()),
            email: Some(self.email.clone()),
            phone_number: Some(self.phone_number.clone()),
            identifier: Some(self.identifier.clone()),
            avatar_url: None,
            additional_attributes: additional,
            custom_attributes: Attributes::new(),
        }
    }
}

/// A label to tick.
struct LabelChoice {
    title: String,
    checked: bool,
}

/// One of the contact's conversations.
struct ConversationRow {
    href: String,
    display_id: i64,
    status: &'static str,
    inbox: String,
    assignee: Option<String>,
    preview: String,
    when: When,
}

#[derive(Template)]
#[template(path = "pages/contacts_show.html")]
struct ContactPage {
    shell: Shell,
    id: i64,
    name: String,
    avatar: Avatar,
    blocked: bool,
    description: Option<String>,
    details: Vec<Detail>,
    socials: Vec<Social>,
    custom: Vec<Detail>,
    other: Vec<Detail>,
    labels: Vec<String>,
    label_choices: Vec<LabelChoice>,
    conversations: Vec<ConversationRow>,
    form: ContactForm,
    errors: FieldErrors,
    label_errors: FieldErrors,
    saved: bool,
    /// Dashboard apps placed on contact pages that this member sees.
    apps: Vec<crate::http::ui::conversations::apps::AppTab>,
    /// Their context (JSON), empty without apps.
    app_context: String,
    /// Its tokens (JSON), empty without apps.
    app_tokens: String,
    /// The page's script (tabs and apps), used when there are apps.
    script: String,
}

/// What the page shows besides the saved contact.
#[derive(Default)]
pub(super) struct Shown {
    form: Option<ContactForm>,
    errors: FieldErrors,
    label_errors: FieldErrors,
    saved: bool,
}

async fn contact_page(
    state: &AppState,
    member: &Member,
    id: ContactId,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, PageError> {
    let account = member.account_id();
    let services = &state.services;
    let contact = services.contact(account, id).await?;
    let definitions = services
        .attribute_definitions(account, Some(AttributeModel::Contact))
        .await?;
    let labels = services.contact_labels(account, id).await?;
    let mut label_choices: Vec<LabelChoice> = services
        .labels(account)
        .await?
        .into_iter()
        .map(|l| LabelChoice {
            checked: labels.contains(&l.title),
            title: l.title,
        })
        .collect();
    for title in &labels {
        if !label_choices.iter().any(|c| &c.title == title) {
            label_choices.push(LabelChoice {
                title: title.clone(),
                checked: true,
            });
        }
    }
    let inboxes: HashMap<i64, String> = services
        .inboxes(account)
        .await?
        .into_iter()
        .map(|i| (i.id.get(), i.name))
        .collect();
    let shell = member.shell.at("contacts");
    let conversations = services
        .contact_conversations(account, id)
        .await?
        .into_iter()
        .map(|c| ConversationRow {
            href: shell.url(&format!("/conversations/{}", c.id)),
            display_id: c.id,
            status: match c.status.as_str() {
                "resolved" => "resolved",
                "pending" => "pending",
                "snoozed" => "snoozed",
                _ => "open",
            },
            inbox: inboxes.get(&c.inbox_id).cloned().unwrap_or_default(),
            assignee: c.meta.assignee.map(|a| a.available_name),
            preview: c
                .last_non_activity_message
                .and_then(|m| m.content)
                .map(|t| truncate(&t, 80))
                .unwrap_or_default(),
            when: When::new(oxidesk_domain::Timestamp(c.last_activity_at)),
        })
        .collect();
    let extra = &contact.additional_attributes;
    let other = extra
        .iter()
        .filter(|(k, _)| !SHOWN_KEYS.contains(&k.as_str()))
        .filter_map(|(k, v)| value_text(v).map(|v| Detail::text(humanize(k), v)))
        .collect();
    let apps = super::apps::build(state, member, id).await?;
    let page = ContactPage {
        apps: apps.tabs,
        app_context: apps.context,
        app_tokens: apps.tokens,
        script: crate::http::assets::asset_url("js/contact-apps.js"),
        id: contact.id.get(),
        name: contact_name(&contact.name),
        avatar: Avatar::of(&contact),
        blocked: contact.blocked,
        description: text_at(extra, "description"),
        details: details(&contact),
        socials: socials(extra),
        custom: custom_details(&contact.custom_attributes, &definitions),
        other,
        labels,
        label_choices,
        conversations,
        form: shown.form.unwrap_or_else(|| ContactForm::of(&contact)),
        errors: shown.errors,
        label_errors: shown.label_errors,
        saved: shown.saved,
        shell,
    };
    let response = with_status(status, render(&page)?);
    Ok(crate::http::ui::conversations::apps::with_csp(
        response,
        &apps.frame_origins,
    ))
}

/// `GET /contacts/{id}`: the contact's page.
pub(super) async fn show_contact(
    State(state): State<AppState>,
    member: Member,
    ItemId(id): ItemId,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let shown = Shown {
        saved: saved(&query),
        ..Shown::default()
    };
    contact_page(&state, &member, ContactId(id), shown, StatusCode::OK).await
}

/// `POST /contacts/{id}`: saves the edit form.
pub(super) async fn update_contact(
    State(state): State<AppState>,
    member: Member,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<ContactForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let result = state
        .services
        .update_contact(member.account_id(), ContactId(id), &form.patch(), None)
        .await;
    match result {
        Ok(_) => {
            Ok(Redirect::to(&member.shell.url(&format!("/contacts/{id}?saved=1"))).into_response())
        }
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            let shown = Shown {
                form: Some(form),
                errors,
                ..Shown::default()
            };
            contact_page(&state, &member, ContactId(id), shown, status).await
        }
    }
}

/// `POST /contacts/{id}/labels`: makes the ticked labels the contact's.
pub(super) async fn set_contact_labels(
    State(state): State<AppState>,
    member: Member,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = Pairs(pairs);
    member.signed_in.check_csrf(&headers, form.first("csrf"))?;
    let titles: Vec<String> = form.all("labels").into_iter().map(str::to_owned).collect();
    let result = state
        .services
        .set_contact_labels(member.account_id(), ContactId(id), &titles)
        .await;
    match result {
        Ok(_) => {
            Ok(Redirect::to(&member.shell.url(&format!("/contacts/{id}?saved=1"))).into_response())
        }
        Err(e) => {
            let (status, label_errors) =
                FieldErrors::from_service(e, &[("labels", "labels", "Labels")])?;
            let shown = Shown {
                label_errors,
                ..Shown::default()
            };
            contact_page(&state, &member, ContactId(id), shown, status).await
        }
    }
}
