//! GraphQL resolvers, one file per domain: parse, authorize, call the domain.

pub mod account;
pub mod addresses;
pub mod auth;
pub mod cart;
pub mod catalog;
pub mod contact;
pub mod coupons;
pub mod customers;
pub mod favorites;
pub mod jobs;
pub mod media;
pub mod orders;
pub mod product_reviews;
pub mod reviews;
pub mod sharing;
pub mod shop_settings;
pub mod stats;
pub mod storage;
