//! The GraphQL schema's assembly: roots merged from the per-domain resolvers, and the
//! extensions every request passes (document limits, metrics, sessions rechecked on
//! websockets, operations per socket).

pub mod limits;
pub mod observe;
pub mod sessions;
pub mod socket_operations;

use async_graphql::{MergedObject, MergedSubscription, Schema, SchemaBuilder};

use crate::app::AppState;
use crate::resolvers::account::{AccountMutation, AccountQuery};
use crate::resolvers::addresses::{AddressesMutation, AddressesQuery};
use crate::resolvers::auth::{AuthMutation, AuthQuery};
use crate::resolvers::cart::{CartMutation, CartQuery};
use crate::resolvers::catalog::{CatalogMutation, CatalogQuery};
use crate::resolvers::contact::{ContactMutation, ContactQuery};
use crate::resolvers::coupons::{CouponsMutation, CouponsQuery};
use crate::resolvers::customers::{CustomersMutation, CustomersQuery};
use crate::resolvers::favorites::{FavoritesMutation, FavoritesQuery};
use crate::resolvers::jobs::{JobsMutation, JobsQuery};
use crate::resolvers::media::{MediaMutation, MediaQuery};
use crate::resolvers::orders::{OrdersMutation, OrdersQuery};
use crate::resolvers::reviews::{ReviewsMutation, ReviewsQuery};
use crate::resolvers::sharing::SharingMutation;
use crate::resolvers::shop_settings::{ShopSettingsMutation, ShopSettingsQuery};
use crate::resolvers::stats::{StatsMutation, StatsQuery, StatsSubscription};
use crate::resolvers::storage::{StorageQuery, StorageSubscription};

/// The root query.
#[derive(MergedObject, Default)]
pub struct Query(
    AuthQuery,
    AccountQuery,
    StatsQuery,
    ReviewsQuery,
    ContactQuery,
    MediaQuery,
    StorageQuery,
    JobsQuery,
    CatalogQuery,
    CustomersQuery,
    AddressesQuery,
    ShopSettingsQuery,
    CartQuery,
    CouponsQuery,
    OrdersQuery,
    FavoritesQuery,
);

/// The root mutation.
#[derive(MergedObject, Default)]
pub struct Mutation(
    AuthMutation,
    AccountMutation,
    StatsMutation,
    ReviewsMutation,
    ContactMutation,
    MediaMutation,
    JobsMutation,
    CatalogMutation,
    CustomersMutation,
    AddressesMutation,
    ShopSettingsMutation,
    CartMutation,
    CouponsMutation,
    OrdersMutation,
    FavoritesMutation,
    SharingMutation,
);

/// The root subscription.
#[derive(MergedSubscription, Default)]
pub struct Subscription(StatsSubscription, StorageSubscription);

/// The schema type shared by the server, the tests and the tools.
pub type VitrinSchema = Schema<Query, Mutation, Subscription>;

fn builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
}

/// The schema bound to an application, with every limit from its configuration.
pub fn build(app: AppState) -> VitrinSchema {
    let limits = app.config().graphql.clone();
    // Depth and complexity are checked by `DocumentLimits`, which gives introspection an
    // allowance of its own; async-graphql's built-in limits would count it as data.
    let mut builder = builder()
        .extension(observe::Observe)
        // Document checks first: they cost no database query.
        .extension(limits::DocumentLimits(limits::Limits {
            max_depth: limits.max_depth,
            max_complexity: limits.max_complexity,
            max_aliases: limits.max_aliases,
            introspection: limits.introspection,
        }))
        .extension(sessions::SessionRecheck)
        .extension(socket_operations::OperationsPerSocket {
            max: limits.max_socket_operations,
        })
        .data(app);
    if !limits.introspection {
        // Suggestions ("Did you mean …?") would name the fields introspection hides.
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// The schema's SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}
