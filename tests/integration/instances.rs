//! Several instances on one PostgreSQL database, as behind a load balancer: the rate
//! limits they enforce are one set, and a restarted instance remembers them.

use serde_json::{Value, json};
use vitrin::db::Backend;

use crate::postgres_test;
use crate::support::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, TestAppBuilder, error_code};

const LOGIN: &str =
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";

/// Another instance on the database of `first`.
fn instance_beside(first: &TestApp) -> TestAppBuilder {
    TestApp::builder(Backend::Postgres).env("VITRIN_DATABASE_URL", first.database_url())
}

async fn wrong_password(app: &TestApp) -> Value {
    app.gql(
        None,
        LOGIN,
        json!({ "e": ADMIN_EMAIL, "p": "wrong password" }),
    )
    .await
}

postgres_test!(
    async fn sign_in_failures_alternated_between_instances_meet_one_limit() {
        let Some(first) = TestApp::builder(Backend::Postgres).start().await else {
            return;
        };
        let second = instance_beside(&first)
            .start()
            .await
            .expect("a second instance");
        first.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        for attempt in 0..5 {
            let app = if attempt % 2 == 0 { &first } else { &second };
            assert_eq!(
                error_code(&wrong_password(app).await),
                "UNAUTHENTICATED",
                "attempt {attempt}"
            );
        }
        for app in [&first, &second] {
            let body = app
                .gql(
                    None,
                    LOGIN,
                    json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
                )
                .await;
            assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
        }
    }
);

postgres_test!(
    async fn concurrent_failures_on_two_instances_meet_one_limit() {
        let Some(first) = TestApp::builder(Backend::Postgres).start().await else {
            return;
        };
        let second = instance_beside(&first)
            .start()
            .await
            .expect("a second instance");
        first.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        let guesses = (0..20).map(|n| wrong_password(if n % 2 == 0 { &first } else { &second }));
        let answers = futures_util::future::join_all(guesses).await;
        let refused = answers
            .iter()
            .filter(|a| error_code(a) == "RATE_LIMITED")
            .count();
        assert_eq!(
            (20 - refused, refused),
            (5, 15),
            "five guesses in all, whichever instance"
        );
    }
);

postgres_test!(
    async fn a_restarted_instance_remembers_the_limits() {
        let Some(first) = TestApp::builder(Backend::Postgres).start().await else {
            return;
        };
        first.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        let second = instance_beside(&first)
            .start()
            .await
            .expect("a second instance");
        for _ in 0..5 {
            assert_eq!(
                error_code(&wrong_password(&second).await),
                "UNAUTHENTICATED"
            );
        }
        drop(second);
        let restarted = instance_beside(&first)
            .start()
            .await
            .expect("the instance again");
        assert_eq!(
            error_code(&wrong_password(&restarted).await),
            "RATE_LIMITED"
        );
    }
);

postgres_test!(
    async fn public_forms_count_once_across_instances() {
        let Some(first) = TestApp::builder(Backend::Postgres)
            .env("VITRIN_CONTACT_MESSAGES_PER_MINUTE", "4")
            .start()
            .await
        else {
            return;
        };
        let second = instance_beside(&first)
            .env("VITRIN_CONTACT_MESSAGES_PER_MINUTE", "4")
            .start()
            .await
            .expect("a second instance");
        let send = async |app: &TestApp| {
            let input =
                json!({ "name": "Ziyaretçi", "email": "v@example.com", "message": "Merhaba" });
            app.gql(
                None,
                "mutation($i: ContactInput!) { submitContactMessage(input: $i) }",
                json!({ "i": input }),
            )
            .await
        };
        for app in [&first, &second, &first] {
            assert_eq!(send(app).await["data"]["submitContactMessage"], true);
        }
        assert_eq!(
            error_code(&send(&second).await),
            "RATE_LIMITED",
            "three per address in 10 minutes, on any instance"
        );
    }
);

postgres_test!(
    async fn rate_limit_events_older_than_any_window_are_swept() {
        let Some(app) = TestApp::builder(Backend::Postgres).start().await else {
            return;
        };
        app.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        wrong_password(&app).await;
        let stored = "SELECT COUNT(*) AS n FROM throttle_events";
        assert!(app.count_sql(stored).await > 0);
        let throttle = &app.app.services.throttle;
        assert_eq!(throttle.sweep().await.unwrap(), 0, "nothing is old yet");
        app.clock.advance(chrono::Duration::minutes(61));
        assert!(throttle.sweep().await.unwrap() > 0);
        assert_eq!(app.count_sql(stored).await, 0);
    }
);
