//! The diesel schema (`src/db/schema.rs`, named by `diesel.toml`) against what each
//! migration tree really creates: a column added to one tree only, or to the schema
//! only, fails here.

use std::collections::BTreeMap;

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use vitrin::db::{Backend, Conn};

use crate::backend_test;
use crate::support::TestApp;

/// A column as the schema declares it: its diesel type and whether it may be null.
type Columns = BTreeMap<String, (String, bool)>;

/// The schema file `diesel.toml` names.
fn schema_file() -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let settings = std::fs::read_to_string(format!("{root}/diesel.toml")).expect("diesel.toml");
    let file = settings
        .lines()
        .find_map(|line| line.trim().strip_prefix("file = "))
        .expect("diesel.toml names the schema file")
        .trim_matches('"');
    std::fs::read_to_string(format!("{root}/{file}")).expect("the schema file")
}

/// The tables of `diesel::table!` blocks.
fn declared_tables() -> BTreeMap<String, Columns> {
    let source = schema_file();
    let mut tables = BTreeMap::new();
    for block in source.split("diesel::table! {").skip(1) {
        let body = &block[..block.find("\n}").expect("a closed table! block")];
        let mut lines = body.lines().map(str::trim).filter(|l| !l.is_empty());
        let header = lines.next().expect("a table header");
        let name = header.split(['(', ' ']).next().unwrap().to_owned();
        let mut columns = Columns::new();
        for line in lines {
            let Some((column, ty)) = line.trim_end_matches(',').split_once("->") else {
                continue;
            };
            let ty = ty.trim();
            let (ty, nullable) = match ty.strip_prefix("Nullable<") {
                Some(inner) => (inner.trim_end_matches('>'), true),
                None => (ty, false),
            };
            columns.insert(column.trim().to_owned(), (ty.to_owned(), nullable));
        }
        tables.insert(name, columns);
    }
    tables
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = BigInt)]
    nullable: i64,
}

const SQLITE_COLUMNS: &str = "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
    CAST(NOT p.\"notnull\" AND NOT p.pk AS BIGINT) AS nullable \
    FROM sqlite_master m JOIN pragma_table_info(m.name) p \
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%'";

const POSTGRES_COLUMNS: &str = "SELECT table_name::text AS table_name, column_name::text AS column_name, \
    data_type::text AS data_type, CAST(is_nullable = 'YES' AS INTEGER)::bigint AS nullable \
    FROM information_schema.columns \
    WHERE table_schema = 'public' AND table_name NOT LIKE '__diesel%'";

/// Whether a database column type is what the diesel type means on that backend.
fn type_matches(backend: Backend, diesel: &str, database: &str) -> bool {
    let database = database.to_ascii_lowercase();
    match (backend, diesel) {
        // `INTEGER PRIMARY KEY` is SQLite's 64-bit row id.
        (Backend::Sqlite, "BigInt") => matches!(database.as_str(), "bigint" | "integer"),
        (Backend::Sqlite, "Integer") => database == "integer",
        (Backend::Sqlite, "Text") => database == "text",
        (Backend::Sqlite, "Bool") => database == "boolean",
        (Backend::Postgres, "BigInt") => database == "bigint",
        (Backend::Postgres, "Integer") => database == "integer",
        (Backend::Postgres, "Text") => database == "text",
        (Backend::Postgres, "Bool") => database == "boolean",
        _ => false,
    }
}

backend_test!(async fn the_diesel_schema_matches_what_the_migrations_create(backend) {
    let Some(app) = TestApp::builder(backend).start().await else { return };
    let mut pooled = app.app.services.db.read().await.unwrap();
    let rows: Vec<ColumnRow> = match pooled.conn() {
        Conn::Sqlite(c) => diesel::sql_query(SQLITE_COLUMNS).load(c).await,
        Conn::Pg(c) => diesel::sql_query(POSTGRES_COLUMNS).load(c).await,
    }
    .unwrap();
    let mut created: BTreeMap<String, BTreeMap<String, (String, bool)>> = BTreeMap::new();
    for row in rows {
        created
            .entry(row.table_name)
            .or_default()
            .insert(row.column_name, (row.data_type, row.nullable == 1));
    }
    if backend == Backend::Postgres {
        // Raw SQL in `src/db/throttle.rs`: the rate limits instances share (SQLite keeps
        // them in memory), so diesel's schema does not declare it.
        assert!(created.remove("throttle_events").is_some(), "throttle_events exists on PostgreSQL");
    }
    let declared = declared_tables();
    assert_eq!(
        created.keys().collect::<Vec<_>>(),
        declared.keys().collect::<Vec<_>>(),
        "the tables of {backend:?} and of the schema differ"
    );
    for (table, columns) in &declared {
        let actual = &created[table];
        assert_eq!(
            actual.keys().collect::<Vec<_>>(),
            columns.keys().collect::<Vec<_>>(),
            "the columns of {table} differ on {backend:?}"
        );
        for (column, (ty, nullable)) in columns {
            let (database_type, database_nullable) = &actual[column];
            assert!(
                type_matches(backend, ty, database_type),
                "{table}.{column}: the schema says {ty}, {backend:?} has {database_type}"
            );
            assert_eq!(nullable, database_nullable, "{table}.{column}: nullability on {backend:?}");
        }
    }
});
