//! Integration tests: one crate (one link) with a module per area.

mod support;

mod account_pages;
mod addresses;
mod auth;
mod backups;
mod cart;
mod catalog;
mod checkout;
mod cli;
mod connections;
mod coupons;
mod customers;
mod db_schema;
mod document_limits;
mod edge;
mod external_links;
mod favorites;
mod http_protocol;
mod instances;
mod jobs;
mod media;
mod media_cloudinary;
mod product_reviews;
mod profile;
mod recovery;
mod restarts;
mod review_pages;
mod schema_contract;
mod sharing;
mod shop_pages;
mod sign_in;
mod statistics;
mod storefront;
mod web_pages;
