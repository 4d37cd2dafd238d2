-- Product reviews are reviews with a product and the customer who wrote them: they are
-- moderated and counted in the statistics exactly like the business's reviews. One per
-- customer and product (the unique index; business reviews have neither).
-- `helpful_count` and `report_count` follow `review_votes`; `flagged` is set by a report
-- and cleared when an administrator moderates the review.
ALTER TABLE reviews ADD COLUMN product_id BIGINT REFERENCES products (id);
ALTER TABLE reviews ADD COLUMN user_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE reviews ADD COLUMN title TEXT CHECK (title IS NULL OR length(title) BETWEEN 1 AND 120);
ALTER TABLE reviews ADD COLUMN helpful_count INTEGER NOT NULL DEFAULT 0 CHECK (helpful_count >= 0);
ALTER TABLE reviews ADD COLUMN report_count INTEGER NOT NULL DEFAULT 0 CHECK (report_count >= 0);
ALTER TABLE reviews ADD COLUMN flagged BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE reviews ADD COLUMN photo_count INTEGER NOT NULL DEFAULT 0 CHECK (photo_count BETWEEN 0 AND 3);
ALTER TABLE reviews ADD COLUMN updated_at BIGINT;

CREATE UNIQUE INDEX reviews_one_per_customer ON reviews (product_id, user_id);
CREATE INDEX reviews_product ON reviews (product_id, status, rating);
CREATE INDEX reviews_flagged ON reviews (flagged, id);

-- A customer's "helpful" mark or report on a review: one of each per customer.
CREATE TABLE review_votes (
    review_id BIGINT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('HELPFUL', 'REPORT')),
    reason TEXT CHECK (reason IS NULL OR length(reason) <= 500),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (review_id, user_id, kind)
);

-- Photos customers upload for their reviews: re-encoded, kept apart from the media
-- library, attached to at most one review (in `position` order) and deleted with it.
-- Unattached ones are swept after a day.
CREATE TABLE review_photos (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    review_id BIGINT REFERENCES reviews (id) ON DELETE SET NULL,
    position INTEGER CHECK (position IS NULL OR position BETWEEN 0 AND 2),
    content_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes BIGINT NOT NULL,
    storage_key TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX review_photos_review ON review_photos (review_id, position);
CREATE INDEX review_photos_user ON review_photos (user_id, created_at);

-- Favourites: a customer's heart on a product. `products.favorite_count` follows this
-- table in the same transaction, so lists read the count without counting.
CREATE TABLE favorites (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, product_id)
);

CREATE INDEX favorites_product ON favorites (product_id);
ALTER TABLE products ADD COLUMN favorite_count BIGINT NOT NULL DEFAULT 0 CHECK (favorite_count >= 0);
CREATE INDEX products_favorites ON products (favorite_count, id);

-- Products sent to a friend by e-mail. `recipient` is the lower-cased address; the
-- opt-out link in each mail carries a token stored here as its SHA-256.
CREATE TABLE product_shares (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    product_id BIGINT REFERENCES products (id) ON DELETE SET NULL,
    recipient TEXT NOT NULL,
    opt_out_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE INDEX product_shares_time ON product_shares (created_at);

-- Addresses that asked never to receive a shared product again.
CREATE TABLE share_opt_outs (
    email TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);
