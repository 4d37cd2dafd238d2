-- Uploaded images and videos. An upload is identified by the SHA-256 of its bytes, so
-- the same file uploaded twice is one media item.
CREATE TABLE media (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('IMAGE', 'VIDEO')),
    section TEXT NOT NULL CHECK (section IN ('GALLERY', 'PRODUCT', 'CAROUSEL', 'OTHER')),
    alt TEXT CHECK (alt IS NULL OR length(alt) <= 300),
    source_hash TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    width INTEGER NOT NULL CHECK (width > 0),
    height INTEGER NOT NULL CHECK (height > 0),
    duration_ms BIGINT CHECK ((kind = 'VIDEO') = (duration_ms IS NOT NULL)),
    bytes BIGINT NOT NULL CHECK (bytes > 0),
    provider TEXT NOT NULL CHECK (provider IN ('LOCAL', 'CLOUDINARY')),
    storage_key TEXT NOT NULL,
    url TEXT NOT NULL,
    version BIGINT,
    created_at BIGINT NOT NULL
);

CREATE INDEX media_kind_section_id ON media (kind, section, id);

-- Cropped sizes of an image: stored files (bytes known) or provider-derived URLs.
CREATE TABLE media_variants (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    media_id BIGINT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    preset TEXT NOT NULL,
    size TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('JPEG', 'WEBP', 'AUTO')),
    width INTEGER NOT NULL CHECK (width > 0),
    height INTEGER NOT NULL CHECK (height > 0),
    bytes BIGINT CHECK (bytes IS NULL OR bytes > 0),
    storage_key TEXT,
    url TEXT NOT NULL,
    crop_x INTEGER NOT NULL,
    crop_y INTEGER NOT NULL,
    crop_width INTEGER NOT NULL,
    crop_height INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (media_id, preset, size, format)
);

CREATE INDEX media_variants_media ON media_variants (media_id);
