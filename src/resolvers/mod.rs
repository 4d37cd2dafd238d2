//! GraphQL resolvers, one file per domain: parse, authorize, call the domain.

pub mod account;
pub mod addresses;
pub mod auth;
pub mod catalog;
pub mod contact;
pub mod customers;
pub mod jobs;
pub mod media;
pub mod reviews;
pub mod stats;
pub mod storage;
