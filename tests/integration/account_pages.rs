//! The customer's account pages: served to everyone under the strict CSP, never cached,
//! with provider buttons only for configured providers and a clear message for a failed
//! provider sign-in.

use crate::support::TestApp;
use crate::support::providers::FakeGoogle;

async fn page(app: &TestApp, path: &str) -> (reqwest::header::HeaderMap, String) {
    let answer = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(answer.status(), 200, "{path}");
    let headers = answer.headers().clone();
    (headers, answer.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_account_page_is_served_private_under_the_csp() {
    let Some(app) = TestApp::builder(vitrin::db::Backend::Sqlite).start().await else {
        return;
    };
    for (path, heading) in [
        ("/hesap/giris", "Giriş yap"),
        ("/hesap/kayit", "Kayıt ol"),
        ("/hesap/dogrula", "E-posta adresinizi doğrulayın"),
        ("/hesap/sifremi-unuttum", "Parolamı unuttum"),
        ("/hesap/sifre-sifirla", "Yeni parola belirleyin"),
        ("/hesap/eposta-onayla", "Yeni e-posta adresinizi onaylayın"),
        ("/hesap", "Hesabım"),
        ("/hesap/adresler", "Adreslerim"),
    ] {
        let (headers, body) = page(&app, path).await;
        assert_eq!(headers["cache-control"], "private, no-store", "{path}");
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("script-src 'self'"),
            "{path}"
        );
        assert!(
            body.contains(&format!("<h1>{heading}</h1>")),
            "{path}: {body}"
        );
        assert!(
            body.contains(r#"<script type="module" src="/widgets/account.js"></script>"#),
            "{path}"
        );
        assert!(
            !body.contains("/auth/google/start"),
            "{path}: no provider is configured"
        );
    }
    let (_, addresses) = page(&app, "/hesap/adresler").await;
    assert!(
        addresses.contains("<option>İstanbul</option>")
            && addresses.contains("<option>Düzce</option>")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_page_offers_configured_providers_and_explains_a_failure() {
    let google = FakeGoogle::start().await;
    let builder = TestApp::builder(vitrin::db::Backend::Sqlite).envs(google.env());
    let Some(app) = builder.start().await else {
        return;
    };
    let (_, body) = page(&app, "/hesap/giris?return=%2F%2Fevil.example").await;
    assert!(
        body.contains(r#"href="/auth/google/start?return=/">Google ile giriş yap</a>"#),
        "{body}"
    );
    assert!(!body.contains("/auth/facebook/start"));
    let (_, body) = page(
        &app,
        "/hesap/giris?return=%2Furun%2Fkupa%3Frenk%3Dmavi%26beden%3DM",
    )
    .await;
    assert!(
        body.contains("/auth/google/start?return=/urun/kupa%3Frenk%3Dmavi%26beden%3DM"),
        "{body}"
    );
    let (_, body) = page(&app, "/hesap/giris?hata=dogrulanamadi&saglayici=google").await;
    assert!(
        body.contains("Google yanıtı doğrulanamadı; güvenliğiniz için giriş yapılmadı."),
        "{body}"
    );
    let (_, body) = page(
        &app,
        "/hesap/giris?baglan=google&eposta=zeynep%40example.com",
    )
    .await;
    assert!(body.contains("zeynep@example.com adresiyle zaten bir hesabınız var. Google hesabınızı bağlamak için parolanızla giriş yapın"), "{body}");
    let (_, body) = page(&app, "/hesap/giris?hata=%3Cscript%3E&eposta=%3Cb%3E").await;
    assert!(
        !body.contains("<script>") && !body.contains("<b>"),
        "unknown codes say nothing; nothing is echoed unescaped"
    );
}
