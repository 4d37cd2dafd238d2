DROP TABLE product_media;
ALTER TABLE media DROP CONSTRAINT media_id_kind;
DROP TABLE product_categories;
DROP TABLE product_slugs;
DROP TABLE products;
DROP TABLE categories;
