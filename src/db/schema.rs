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

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(one_time_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(users, sessions, one_time_tokens);

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

diesel::allow_tables_to_appear_in_same_query!(media, media_variants);

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
