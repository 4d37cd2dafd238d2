//! The diesel schema, one for both backends: every SQL type here means the same on
//! SQLite and PostgreSQL (BigInt ids and Unix-millisecond timestamps, Text, Bool).

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        locale -> Text,
        disabled -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
        reset_mailed_at -> Nullable<BigInt>,
        auth_version -> BigInt,
        email_verified_at -> Nullable<BigInt>,
        phone -> Nullable<Text>,
        marketing_opt_in -> Bool,
        terms_accepted_at -> Nullable<BigInt>,
        deleted_at -> Nullable<BigInt>,
        search_text -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    one_time_tokens (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        purpose -> Text,
        new_email -> Nullable<Text>,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    addresses (id) {
        id -> BigInt,
        user_id -> BigInt,
        title -> Text,
        recipient_name -> Text,
        phone -> Text,
        line1 -> Text,
        line2 -> Nullable<Text>,
        district -> Text,
        city -> Text,
        postal_code -> Text,
        country -> Text,
        is_default -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    identities (id) {
        id -> BigInt,
        user_id -> BigInt,
        provider -> Text,
        subject -> Text,
        email -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    pending_identities (token_hash) {
        token_hash -> Text,
        provider -> Text,
        subject -> Text,
        email -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(identities -> users (user_id));
diesel::joinable!(one_time_tokens -> users (user_id));
diesel::joinable!(addresses -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    one_time_tokens,
    addresses,
    identities,
    pending_identities
);

diesel::table! {
    reviews (id) {
        id -> BigInt,
        author_name -> Text,
        email -> Nullable<Text>,
        rating -> Integer,
        comment -> Text,
        status -> Text,
        created_at -> BigInt,
        moderated_at -> Nullable<BigInt>,
        product_id -> Nullable<BigInt>,
        user_id -> Nullable<BigInt>,
        title -> Nullable<Text>,
        helpful_count -> Integer,
        report_count -> Integer,
        flagged -> Bool,
        photo_count -> Integer,
        updated_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    contact_messages (id) {
        id -> BigInt,
        name -> Text,
        email -> Text,
        phone -> Nullable<Text>,
        subject -> Nullable<Text>,
        message -> Text,
        is_read -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    visits (visitor_id, day) {
        visitor_id -> Text,
        day -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    daily_quotas (key, day) {
        key -> Text,
        day -> Text,
        used -> BigInt,
    }
}

diesel::table! {
    stat_settings (id) {
        id -> Integer,
        completed_jobs_base -> BigInt,
        happy_customers_base -> BigInt,
        contact_messages_base -> BigInt,
        founded_year -> Integer,
        happy_threshold -> Integer,
        auto_approve_reviews -> Bool,
        count_reviews_as_jobs -> Bool,
        count_visits_as_jobs -> Bool,
        updated_at -> BigInt,
    }
}

diesel::table! {
    stat_counters (name) {
        name -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    media (id) {
        id -> BigInt,
        kind -> Text,
        section -> Text,
        alt -> Nullable<Text>,
        source_hash -> Text,
        content_type -> Text,
        width -> Integer,
        height -> Integer,
        duration_ms -> Nullable<BigInt>,
        bytes -> BigInt,
        provider -> Text,
        storage_key -> Text,
        url -> Text,
        version -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    media_variants (id) {
        id -> BigInt,
        media_id -> BigInt,
        preset -> Text,
        size -> Text,
        format -> Text,
        width -> Integer,
        height -> Integer,
        bytes -> Nullable<BigInt>,
        storage_key -> Nullable<Text>,
        url -> Text,
        crop_x -> Integer,
        crop_y -> Integer,
        crop_width -> Integer,
        crop_height -> Integer,
        created_at -> BigInt,
    }
}

diesel::joinable!(media_variants -> media (media_id));

diesel::table! {
    jobs (id) {
        id -> BigInt,
        kind -> Text,
        payload -> Text,
        summary -> Text,
        state -> Text,
        attempts -> Integer,
        max_attempts -> Integer,
        run_at -> BigInt,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        parent_id -> Nullable<BigInt>,
        depth -> Integer,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    products (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        sort_name -> Text,
        description -> Text,
        description_html -> Text,
        search_text -> Text,
        sku -> Nullable<Text>,
        price -> BigInt,
        sale_price -> Nullable<BigInt>,
        sale_starts_at -> Nullable<BigInt>,
        sale_ends_at -> Nullable<BigInt>,
        vat_rate -> Integer,
        stock -> Integer,
        active -> Bool,
        external_url -> Nullable<Text>,
        seo_title -> Nullable<Text>,
        seo_description -> Nullable<Text>,
        archived_at -> Nullable<BigInt>,
        created_at -> BigInt,
        updated_at -> BigInt,
        favorite_count -> BigInt,
    }
}

diesel::table! {
    product_slugs (slug) {
        slug -> Text,
        product_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    product_categories (product_id, category_id) {
        product_id -> BigInt,
        category_id -> BigInt,
    }
}

diesel::table! {
    product_media (product_id, media_id) {
        product_id -> BigInt,
        media_id -> BigInt,
        kind -> Text,
        position -> Integer,
    }
}

diesel::table! {
    shop_settings (id) {
        id -> Integer,
        shipping_fee -> BigInt,
        free_shipping_threshold -> Nullable<BigInt>,
        cash_on_delivery -> Bool,
        cash_on_delivery_fee -> BigInt,
        bank_accounts -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    external_link_hosts (host) {
        host -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    external_clicks (id) {
        id -> BigInt,
        product_id -> BigInt,
        visitor_id -> Nullable<Text>,
        referrer -> Nullable<Text>,
        clicked_at -> BigInt,
    }
}

diesel::table! {
    coupons (id) {
        id -> BigInt,
        code -> Text,
        description -> Text,
        kind -> Text,
        value -> BigInt,
        min_subtotal -> BigInt,
        starts_at -> Nullable<BigInt>,
        ends_at -> Nullable<BigInt>,
        usage_limit -> Nullable<Integer>,
        per_customer_limit -> Nullable<Integer>,
        limited -> Bool,
        used_count -> Integer,
        public -> Bool,
        active -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    coupon_products (coupon_id, product_id) {
        coupon_id -> BigInt,
        product_id -> BigInt,
    }
}

diesel::table! {
    coupon_categories (coupon_id, category_id) {
        coupon_id -> BigInt,
        category_id -> BigInt,
    }
}

diesel::table! {
    carts (id) {
        id -> BigInt,
        token_hash -> Nullable<Text>,
        user_id -> Nullable<BigInt>,
        coupon_id -> Nullable<BigInt>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    cart_lines (id) {
        id -> BigInt,
        cart_id -> BigInt,
        product_id -> BigInt,
        quantity -> Integer,
        seen_price -> BigInt,
        added_at -> BigInt,
    }
}

diesel::table! {
    order_numbers (year) {
        year -> Integer,
        last_number -> Integer,
    }
}

diesel::table! {
    orders (id) {
        id -> BigInt,
        number -> Text,
        user_id -> BigInt,
        idempotency_key -> Text,
        status -> Text,
        payment_method -> Text,
        subtotal -> BigInt,
        discount -> BigInt,
        shipping -> BigInt,
        payment_fee -> BigInt,
        total -> BigInt,
        vat_included -> BigInt,
        coupon_id -> Nullable<BigInt>,
        coupon_code -> Nullable<Text>,
        email -> Text,
        locale -> Text,
        recipient_name -> Text,
        phone -> Text,
        shipping_address -> Text,
        note -> Nullable<Text>,
        carrier -> Nullable<Text>,
        tracking_number -> Nullable<Text>,
        search_text -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    order_lines (id) {
        id -> BigInt,
        order_id -> BigInt,
        product_id -> BigInt,
        product_name -> Text,
        sku -> Nullable<Text>,
        unit_price -> BigInt,
        quantity -> Integer,
        line_total -> BigInt,
        discount -> BigInt,
        vat_rate -> Integer,
        vat_amount -> BigInt,
    }
}

diesel::table! {
    order_events (id) {
        id -> BigInt,
        order_id -> BigInt,
        status -> Text,
        actor -> Text,
        note -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    coupon_redemptions (order_id) {
        order_id -> BigInt,
        coupon_id -> BigInt,
        user_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    review_votes (review_id, user_id, kind) {
        review_id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        reason -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    review_photos (id) {
        id -> BigInt,
        user_id -> BigInt,
        review_id -> Nullable<BigInt>,
        position -> Nullable<Integer>,
        content_type -> Text,
        width -> Integer,
        height -> Integer,
        bytes -> BigInt,
        storage_key -> Text,
        url -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    favorites (user_id, product_id) {
        user_id -> BigInt,
        product_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    product_shares (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        product_id -> Nullable<BigInt>,
        recipient -> Text,
        opt_out_hash -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    share_opt_outs (email) {
        email -> Text,
        created_at -> BigInt,
    }
}

diesel::joinable!(product_slugs -> products (product_id));
diesel::joinable!(cart_lines -> products (product_id));
diesel::joinable!(cart_lines -> carts (cart_id));
diesel::joinable!(coupon_products -> coupons (coupon_id));
diesel::joinable!(coupon_categories -> coupons (coupon_id));
diesel::joinable!(order_lines -> orders (order_id));
diesel::joinable!(external_clicks -> products (product_id));
diesel::joinable!(product_categories -> products (product_id));
diesel::joinable!(product_categories -> categories (category_id));
diesel::joinable!(product_media -> products (product_id));
diesel::joinable!(product_media -> media (media_id));
diesel::joinable!(favorites -> products (product_id));
diesel::joinable!(review_photos -> reviews (review_id));
diesel::joinable!(review_votes -> reviews (review_id));

diesel::allow_tables_to_appear_in_same_query!(
    categories,
    products,
    product_slugs,
    product_categories,
    product_media,
    media,
    media_variants,
    coupons,
    coupon_products,
    coupon_categories,
    carts,
    cart_lines,
    orders,
    order_lines,
    external_clicks,
    reviews,
    review_votes,
    review_photos,
    favorites,
    product_shares,
    share_opt_outs
);
