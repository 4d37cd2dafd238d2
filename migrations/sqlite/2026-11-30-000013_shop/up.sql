-- The shop: its settings, carts, coupons, orders, and the external links some products
-- are bought through. Amounts are kuruş (BIGINT), as in the catalogue.

-- The shop's settings: exactly one row. `bank_accounts` is a JSON list of
-- {"bank", "holder", "iban"} objects, checked by the domain.
CREATE TABLE shop_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    shipping_fee BIGINT NOT NULL CHECK (shipping_fee BETWEEN 0 AND 100000000),
    free_shipping_threshold BIGINT CHECK (
        free_shipping_threshold IS NULL OR free_shipping_threshold BETWEEN 0 AND 1000000000
    ),
    cash_on_delivery BOOLEAN NOT NULL,
    cash_on_delivery_fee BIGINT NOT NULL CHECK (cash_on_delivery_fee BETWEEN 0 AND 100000000),
    bank_accounts TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

INSERT INTO shop_settings VALUES (1, 0, NULL, FALSE, 0, '[]', 0);

-- Hosts a product's external link may point to (exact host names, lower-case).
CREATE TABLE external_link_hosts (
    host TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

-- Clicks on a product's "buy" link (`/go/{slug}`): the widget's anonymous visitor id
-- when the page knew it, and the referring page's origin.
CREATE TABLE external_clicks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    visitor_id TEXT,
    referrer TEXT,
    clicked_at BIGINT NOT NULL
);

CREATE INDEX external_clicks_product ON external_clicks (product_id, clicked_at);
CREATE INDEX external_clicks_time ON external_clicks (clicked_at);

-- Coupons. `code` is stored upper-case (codes are case-insensitive). `value` is a
-- percent for PERCENT, kuruş for FIXED, and 0 for FREE_SHIPPING. `limited`: it applies
-- only to the products and categories listed below (deleting those leaves it applying
-- to fewer, never to everything). `used_count` counts
-- the orders that redeemed it and never passes `usage_limit`: checkouts increment it
-- with a conditional update, so the database holds the limit under concurrency.
CREATE TABLE coupons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 3 AND 32),
    description TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('PERCENT', 'FIXED', 'FREE_SHIPPING')),
    value BIGINT NOT NULL CHECK (
        (kind = 'PERCENT' AND value BETWEEN 1 AND 100)
        OR (kind = 'FIXED' AND value BETWEEN 1 AND 1000000000)
        OR (kind = 'FREE_SHIPPING' AND value = 0)
    ),
    min_subtotal BIGINT NOT NULL CHECK (min_subtotal BETWEEN 0 AND 1000000000),
    starts_at BIGINT,
    ends_at BIGINT CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at),
    usage_limit INTEGER CHECK (usage_limit IS NULL OR usage_limit >= 1),
    per_customer_limit INTEGER CHECK (per_customer_limit IS NULL OR per_customer_limit >= 1),
    limited BOOLEAN NOT NULL,
    used_count INTEGER NOT NULL CHECK (
        used_count >= 0 AND (usage_limit IS NULL OR used_count <= usage_limit)
    ),
    public BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX coupons_public ON coupons (public, active, id);

-- A coupon limited to products or categories discounts only those lines.
CREATE TABLE coupon_products (
    coupon_id BIGINT NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    PRIMARY KEY (coupon_id, product_id)
);

CREATE INDEX coupon_products_product ON coupon_products (product_id);

CREATE TABLE coupon_categories (
    coupon_id BIGINT NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (coupon_id, category_id)
);

CREATE INDEX coupon_categories_category ON coupon_categories (category_id);

-- Carts: a guest's is found by the hash of its cookie's token, a customer's by the
-- customer (one each). `seen_price` is the unit price the shopper last saw, so the cart
-- can say when it changed.
CREATE TABLE carts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT UNIQUE,
    user_id BIGINT UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    coupon_id BIGINT REFERENCES coupons (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((token_hash IS NULL) <> (user_id IS NULL))
);

CREATE INDEX carts_guest_updated ON carts (updated_at) WHERE user_id IS NULL;

CREATE TABLE cart_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cart_id BIGINT NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 20),
    seen_price BIGINT NOT NULL,
    added_at BIGINT NOT NULL,
    UNIQUE (cart_id, product_id)
);

CREATE INDEX cart_lines_product ON cart_lines (product_id);

-- Order numbers run per year: VT-2026-000001, VT-2026-000002, …
CREATE TABLE order_numbers (
    year INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL
);

-- Orders keep what was bought as it was then (names, prices, VAT, the address as
-- text), so later changes to the catalogue or the address book do not rewrite them. A
-- product that orders refer to is archived, never deleted. The same idempotency key
-- from one customer always means the same order.
CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    idempotency_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (
        status IN ('AWAITING_PAYMENT', 'PREPARING', 'SHIPPED', 'DELIVERED', 'CANCELLED')
    ),
    payment_method TEXT NOT NULL CHECK (payment_method IN ('BANK_TRANSFER', 'CASH_ON_DELIVERY')),
    subtotal BIGINT NOT NULL CHECK (subtotal >= 0),
    discount BIGINT NOT NULL CHECK (discount BETWEEN 0 AND subtotal),
    shipping BIGINT NOT NULL CHECK (shipping >= 0),
    payment_fee BIGINT NOT NULL CHECK (payment_fee >= 0),
    total BIGINT NOT NULL CHECK (total = subtotal - discount + shipping + payment_fee),
    vat_included BIGINT NOT NULL CHECK (vat_included BETWEEN 0 AND total),
    coupon_id BIGINT REFERENCES coupons (id) ON DELETE SET NULL,
    coupon_code TEXT,
    email TEXT NOT NULL,
    locale TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    shipping_address TEXT NOT NULL,
    note TEXT CHECK (note IS NULL OR length(note) <= 500),
    carrier TEXT,
    tracking_number TEXT,
    search_text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (user_id, idempotency_key)
);

CREATE INDEX orders_user ON orders (user_id, id);
CREATE INDEX orders_status ON orders (status, id);

CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
    product_name TEXT NOT NULL,
    sku TEXT,
    unit_price BIGINT NOT NULL CHECK (unit_price >= 0),
    quantity INTEGER NOT NULL CHECK (quantity >= 1),
    line_total BIGINT NOT NULL CHECK (line_total = unit_price * quantity),
    discount BIGINT NOT NULL CHECK (discount BETWEEN 0 AND line_total),
    vat_rate INTEGER NOT NULL,
    vat_amount BIGINT NOT NULL CHECK (vat_amount >= 0)
);

CREATE INDEX order_lines_order ON order_lines (order_id, id);
CREATE INDEX order_lines_product ON order_lines (product_id);

-- What happened to an order, oldest first: its history as the customer sees it.
CREATE TABLE order_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    actor TEXT NOT NULL CHECK (actor IN ('CUSTOMER', 'ADMIN', 'SYSTEM')),
    note TEXT,
    created_at BIGINT NOT NULL
);

CREATE INDEX order_events_order ON order_events (order_id, id);

-- Which order used which coupon; a cancelled order's row goes, giving the use back.
CREATE TABLE coupon_redemptions (
    order_id BIGINT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    coupon_id BIGINT NOT NULL REFERENCES coupons (id) ON DELETE RESTRICT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

CREATE INDEX coupon_redemptions_coupon_user ON coupon_redemptions (coupon_id, user_id);
