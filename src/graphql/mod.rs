//! What resolvers build on: the request's context (who asks, from where) and the data
//! every request carries, guards, Relay pagination, scalars and DataLoaders. Resolvers
//! and the schema's assembly import these; these import neither.

pub mod context;
pub mod guards;
pub mod loaders;
pub mod pagination;
pub mod scalars;
