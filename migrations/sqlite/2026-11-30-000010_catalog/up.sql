-- The catalogue: categories (a tree at most three levels deep), products with prices in
-- kuruş, their pictures and video, and the slugs a product answered to before a rename.

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    parent_id BIGINT REFERENCES categories (id) ON DELETE RESTRICT,
    depth INTEGER NOT NULL CHECK (depth BETWEEN 1 AND 3),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX categories_parent ON categories (parent_id);

-- Prices include KDV and are kuruş (at most 10,000,000 ₺). A sale price is below the
-- price; its window is optional at either end. `sort_name` and `search_text` are the
-- name and the searchable text folded (Turkish letters to ASCII, lower-case), so
-- ordering and search mean the same on both databases. A product that orders refer to
-- is archived instead of deleted (`archived_at`), so its rows stay.
CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    sort_name TEXT NOT NULL,
    description TEXT NOT NULL,
    description_html TEXT NOT NULL,
    search_text TEXT NOT NULL,
    sku TEXT UNIQUE,
    price BIGINT NOT NULL CHECK (price BETWEEN 0 AND 1000000000),
    sale_price BIGINT CHECK (sale_price IS NULL OR (sale_price >= 0 AND sale_price < price)),
    sale_starts_at BIGINT,
    sale_ends_at BIGINT CHECK (
        sale_ends_at IS NULL OR sale_starts_at IS NULL OR sale_ends_at > sale_starts_at
    ),
    vat_rate INTEGER NOT NULL CHECK (vat_rate BETWEEN 0 AND 100),
    stock INTEGER NOT NULL CHECK (stock >= 0),
    active BOOLEAN NOT NULL,
    external_url TEXT,
    seo_title TEXT,
    seo_description TEXT,
    archived_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX products_listed ON products (active, archived_at, id);
CREATE INDEX products_sort_name ON products (sort_name, id);

-- Slugs a product had before: they answer with a permanent redirect to its current one.
CREATE TABLE product_slugs (
    slug TEXT PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

CREATE INDEX product_slugs_product ON product_slugs (product_id);

CREATE TABLE product_categories (
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
    PRIMARY KEY (product_id, category_id)
);

CREATE INDEX product_categories_category ON product_categories (category_id, product_id);

-- A product's pictures (positions 0–4: at most five) and video (position 0: at most
-- one), held by the database itself: the unique position per kind and the check make a
-- sixth picture or a second video impossible whatever runs at the same time, and the
-- key on (media_id, kind) makes a video in a picture's place impossible. Media in use
-- cannot be deleted.
CREATE UNIQUE INDEX media_id_kind ON media (id, kind);

CREATE TABLE product_media (
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    media_id BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('IMAGE', 'VIDEO')),
    position INTEGER NOT NULL CHECK (
        (kind = 'IMAGE' AND position BETWEEN 0 AND 4) OR (kind = 'VIDEO' AND position = 0)
    ),
    PRIMARY KEY (product_id, media_id),
    UNIQUE (product_id, kind, position),
    FOREIGN KEY (media_id, kind) REFERENCES media (id, kind) ON DELETE RESTRICT
);

CREATE INDEX product_media_media ON product_media (media_id);
