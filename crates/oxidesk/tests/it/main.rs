//! HTTP tests: the real router, in process, on a fresh SQLite file and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../schemas/app_context.rs"]
mod app_context_schema;
mod support;

mod agent_bots;
mod api;
mod api_chatwoot_schemas;
mod api_compat;
mod api_contacts;
mod api_conversations;
mod api_dashboard_apps;
mod api_isolation;
mod api_public;
mod api_setup;
mod api_setup_access;
mod api_setup_agents;
mod api_setup_labels;
mod api_setup_teams;
mod app_actions;
mod app_contact_actions;
mod app_context;
mod app_placement;
mod app_tokens;
mod attachments;
mod auth;
mod canned;
mod cli;
mod examples;
mod faults;
mod generate;
mod hot_cache;
mod live;
mod onboarding;
mod page_weight;
mod pages;
mod plans;
mod ui_contacts;
mod ui_conversations;
mod ui_settings;
mod webhooks;
mod widget;
