//! Vitrin: the GraphQL backend of a small business's site growing into a shop.

pub mod addresses;
pub mod app;
pub mod auth;
pub mod backup;
pub mod blocking;
pub mod catalog;
pub mod clock;
pub mod config;
pub mod contact;
pub mod db;
pub mod edge;
pub mod error;
pub mod events;
pub mod favorites;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod locale;
pub mod mail;
pub mod media;
pub mod metrics;
pub mod money;
pub mod networks;
pub mod phone;
pub mod resolvers;
pub mod reviews;
pub mod schema;
pub mod services;
pub mod sharing;
pub mod shop;
pub mod slots;
pub mod stats;
pub mod stored_enum;
pub mod telemetry;
pub mod text;
pub mod throttle;
pub mod time;

use axum::Router;

use crate::app::AppState;
use crate::schema::VitrinSchema;

/// The router serving everything for `app`.
pub fn app(app: AppState) -> Router {
    let schema = schema(app.clone());
    http::router(app, schema)
}

/// The GraphQL schema bound to `app` (shared by the server, tests and tools).
pub fn schema(app: AppState) -> VitrinSchema {
    schema::build(app)
}
