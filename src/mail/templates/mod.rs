//! The texts of every e-mail, in Turkish (the default) and English, as plain text and
//! HTML. Links are always built from the configured public URL.

pub mod orders;
pub mod sharing;

use chrono::{DateTime, Utc};

use super::Mail;
use crate::locale::Locale;

/// A message from the contact form, as it is forwarded.
pub struct ForwardedMessage<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub message: &'a str,
    pub received_at: DateTime<Utc>,
}

/// Everything a message needs besides its recipient.
struct Content {
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    link: Option<(String, String)>,
    closing: String,
}

fn render(to: &str, site: &str, content: Content) -> Mail {
    let mut text = format!("{}\n\n", content.greeting);
    let mut html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5;color:#222\"><p>{}</p>",
        escape(&content.greeting)
    );
    for (i, paragraph) in content.paragraphs.iter().enumerate() {
        text.push_str(paragraph);
        text.push_str("\n\n");
        html.push_str(&format!(
            "<p style=\"white-space:pre-line\">{}</p>",
            escape(paragraph)
        ));
        if let (0, Some((label, url))) = (i, &content.link) {
            text.push_str(&format!("{url}\n\n"));
            html.push_str(&format!(
                "<p><a href=\"{url}\" style=\"display:inline-block;padding:10px 16px;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:6px\">{label}</a></p><p style=\"font-size:12px;color:#555\">{url}</p>",
                url = escape(url),
                label = escape(label)
            ));
        }
    }
    text.push_str(&format!("{}\n{site}\n", content.closing));
    html.push_str(&format!(
        "<p>{}<br>{}</p></body></html>",
        escape(&content.closing),
        escape(site)
    ));
    Mail {
        to: to.to_owned(),
        reply_to: None,
        subject: format!("{} – {site}", content.subject),
        text,
        html,
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn istanbul_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Istanbul)
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

/// The password reset link.
pub fn password_reset(
    locale: Locale,
    site: &str,
    to: &str,
    link: &str,
    valid_minutes: u64,
) -> Mail {
    let content = match locale {
        Locale::Tr => Content {
            subject: "Parola sıfırlama".into(),
            greeting: "Merhaba,".into(),
            paragraphs: vec![
                format!(
                    "Hesabınız için bir parola sıfırlama isteği aldık. Yeni bir parola belirlemek için {valid_minutes} dakika içinde aşağıdaki bağlantıyı açın. Bağlantı yalnızca bir kez kullanılabilir."
                ),
                "Bu isteği siz yapmadıysanız bu e-postayı yok sayabilirsiniz; parolanız değişmez."
                    .into(),
            ],
            link: Some(("Yeni parola belirle".into(), link.into())),
            closing: "Sevgiler,".into(),
        },
        Locale::En => Content {
            subject: "Password reset".into(),
            greeting: "Hello,".into(),
            paragraphs: vec![
                format!(
                    "We received a request to reset the password of your account. Open the link below within {valid_minutes} minutes to choose a new password. The link works only once."
                ),
                "If you did not ask for this, ignore this e-mail; your password stays the same."
                    .into(),
            ],
            link: Some(("Choose a new password".into(), link.into())),
            closing: "Best regards,".into(),
        },
    };
    render(to, site, content)
}

/// The notice that a password was changed (never containing the password).
pub fn password_changed(locale: Locale, site: &str, to: &str, at: DateTime<Utc>) -> Mail {
    let when = istanbul_time(at);
    let content = match locale {
        Locale::Tr => Content {
            subject: "Parolanız değiştirildi".into(),
            greeting: "Merhaba,".into(),
            paragraphs: vec![
                format!("Hesabınızın parolası {when} (İstanbul saati) itibarıyla değiştirildi ve diğer oturumlarınız kapatıldı."),
                "Bu değişikliği siz yapmadıysanız hemen \"Parolamı unuttum\" ile yeni bir parola belirleyin ve site yöneticisine haber verin.".into(),
            ],
            link: None,
            closing: "Sevgiler,".into(),
        },
        Locale::En => Content {
            subject: "Your password was changed".into(),
            greeting: "Hello,".into(),
            paragraphs: vec![
                format!("The password of your account was changed on {when} (Istanbul time) and your other sessions were signed out."),
                "If this was not you, choose a new password with \"Forgot password\" right away and tell the site's administrator.".into(),
            ],
            link: None,
            closing: "Best regards,".into(),
        },
    };
    render(to, site, content)
}

/// The link that verifies a new account's e-mail address.
pub fn email_verification(
    locale: Locale,
    site: &str,
    to: &str,
    link: &str,
    valid_hours: u64,
) -> Mail {
    let content = match locale {
        Locale::Tr => Content {
            subject: "E-posta adresinizi doğrulayın".into(),
            greeting: "Merhaba,".into(),
            paragraphs: vec![
                format!(
                    "Hesabınızı oluşturduğunuz için teşekkürler. E-posta adresinizi doğrulamak için {valid_hours} saat içinde aşağıdaki bağlantıyı açın; doğrulamadan sipariş veremezsiniz."
                ),
                "Bu hesabı siz oluşturmadıysanız bu e-postayı yok sayın.".into(),
            ],
            link: Some(("Adresimi doğrula".into(), link.into())),
            closing: "Sevgiler,".into(),
        },
        Locale::En => Content {
            subject: "Verify your e-mail address".into(),
            greeting: "Hello,".into(),
            paragraphs: vec![
                format!(
                    "Thank you for creating an account. Open the link below within {valid_hours} hours to verify your e-mail address; orders need a verified address."
                ),
                "If you did not create this account, ignore this e-mail.".into(),
            ],
            link: Some(("Verify my address".into(), link.into())),
            closing: "Best regards,".into(),
        },
    };
    render(to, site, content)
}

/// The notice to an address that already has an account when someone signs up with it.
pub fn sign_up_attempted(locale: Locale, site: &str, to: &str, sign_in: &str) -> Mail {
    let content = match locale {
        Locale::Tr => Content {
            subject: "Bu adresle zaten bir hesabınız var".into(),
            greeting: "Merhaba,".into(),
            paragraphs: vec![
                "Biri bu e-posta adresiyle yeni bir hesap açmayı denedi; adresin zaten bir hesabı olduğu için yeni hesap açılmadı. Siz iseniz aşağıdaki bağlantıdan giriş yapın; parolanızı hatırlamıyorsanız giriş sayfasındaki \"Parolamı unuttum\" ile yenisini belirleyin.".into(),
                "Bu siz değilseniz bir şey yapmanız gerekmez; hesabınız değişmedi.".into(),
            ],
            link: Some(("Giriş yap".into(), sign_in.into())),
            closing: "Sevgiler,".into(),
        },
        Locale::En => Content {
            subject: "You already have an account with this address".into(),
            greeting: "Hello,".into(),
            paragraphs: vec![
                "Someone tried to sign up with this e-mail address; as it already has an account, no new one was made. If it was you, sign in with the link below, or choose a new password with \"Forgot password\" on the sign-in page.".into(),
                "If it was not you, there is nothing to do; your account is unchanged.".into(),
            ],
            link: Some(("Sign in".into(), sign_in.into())),
            closing: "Best regards,".into(),
        },
    };
    render(to, site, content)
}

/// The confirmation that an account and its personal data were erased.
pub fn account_deleted(locale: Locale, site: &str, to: &str, at: DateTime<Utc>) -> Mail {
    let when = istanbul_time(at);
    let content = match locale {
        Locale::Tr => Content {
            subject: "Hesabınız silindi".into(),
            greeting: "Merhaba,".into(),
            paragraphs: vec![
                format!(
                    "İsteğiniz üzerine hesabınız {when} (İstanbul saati) itibarıyla silindi: kişisel verileriniz (ad, telefon, adresler, bağlı hesaplar) silindi, oturumlarınız kapatıldı. Yasal olarak saklanması gereken sipariş kayıtları adınız olmadan tutulur."
                ),
                "Bu isteği siz yapmadıysanız hemen site yöneticisine haber verin.".into(),
            ],
            link: None,
            closing: "Sevgiler,".into(),
        },
        Locale::En => Content {
            subject: "Your account was deleted".into(),
            greeting: "Hello,".into(),
            paragraphs: vec![
                format!(
                    "As you asked, your account was deleted on {when} (Istanbul time): your personal data (name, phone, addresses, connected accounts) was erased and your sessions were signed out. Order records the law requires us to keep are kept without your name."
                ),
                "If you did not ask for this, tell the site's administrator right away.".into(),
            ],
            link: None,
            closing: "Best regards,".into(),
        },
    };
    render(to, site, content)
}

/// The notice that a Google or Facebook account was connected to or disconnected from
/// the account (so that its owner learns of a connection made with a stolen session).
pub fn identity_changed(
    locale: Locale,
    site: &str,
    to: &str,
    provider: &str,
    connected: bool,
    at: DateTime<Utc>,
) -> Mail {
    let when = istanbul_time(at);
    let content = match locale {
        Locale::Tr => Content {
            subject: if connected {
                format!("{provider} hesabı bağlandı")
            } else {
                format!("{provider} hesabının bağlantısı kaldırıldı")
            },
            greeting: "Merhaba,".into(),
            paragraphs: vec![
                if connected {
                    format!("{when} (İstanbul saati) itibarıyla hesabınıza bir {provider} hesabı bağlandı; artık onunla da giriş yapılabilir.")
                } else {
                    format!("{when} (İstanbul saati) itibarıyla {provider} hesabınızın bağlantısı kaldırıldı; onunla artık giriş yapılamaz.")
                },
                "Bu değişikliği siz yapmadıysanız hemen parolanızı değiştirin, bağlantıyı Hesabım sayfasından kaldırın ve site yöneticisine haber verin.".into(),
            ],
            link: None,
            closing: "Sevgiler,".into(),
        },
        Locale::En => Content {
            subject: if connected {
                format!("A {provider} account was connected")
            } else {
                format!("Your {provider} account was disconnected")
            },
            greeting: "Hello,".into(),
            paragraphs: vec![
                if connected {
                    format!("On {when} (Istanbul time) a {provider} account was connected to your account; it can now be used to sign in.")
                } else {
                    format!("On {when} (Istanbul time) your {provider} account was disconnected; it can no longer be used to sign in.")
                },
                "If this was not you, change your password right away, remove the connection on your account page and tell the site's administrator.".into(),
            ],
            link: None,
            closing: "Best regards,".into(),
        },
    };
    render(to, site, content)
}

/// The confirmation link sent to a new e-mail address.
pub fn email_change_confirmation(locale: Locale, site: &str, to: &str, link: &str) -> Mail {
    let content = match locale {
        Locale::Tr => Content {
            subject: "Yeni e-posta adresinizi onaylayın".into(),
            greeting: "Merhaba,".into(),
            paragraphs: vec![
                "Hesabınızın e-posta adresini bu adresle değiştirmek istediniz. Onaylamak için aşağıdaki bağlantıyı açın.".into(),
                "Bu isteği siz yapmadıysanız bu e-postayı yok sayın; hiçbir şey değişmez.".into(),
            ],
            link: Some(("Adresi onayla".into(), link.into())),
            closing: "Sevgiler,".into(),
        },
        Locale::En => Content {
            subject: "Confirm your new e-mail address".into(),
            greeting: "Hello,".into(),
            paragraphs: vec![
                "You asked to change the e-mail address of your account to this one. Open the link below to confirm.".into(),
                "If you did not ask for this, ignore this e-mail; nothing changes.".into(),
            ],
            link: Some(("Confirm the address".into(), link.into())),
            closing: "Best regards,".into(),
        },
    };
    render(to, site, content)
}

/// The notice to the old address that the account's address was changed.
pub fn email_changed(
    locale: Locale,
    site: &str,
    to: &str,
    new_email: &str,
    at: DateTime<Utc>,
) -> Mail {
    let when = istanbul_time(at);
    let content = match locale {
        Locale::Tr => Content {
            subject: "E-posta adresiniz değiştirildi".into(),
            greeting: "Merhaba,".into(),
            paragraphs: vec![
                format!(
                    "Hesabınızın e-posta adresi {when} (İstanbul saati) itibarıyla {new_email} olarak değiştirildi; diğer oturumlarınız kapatıldı ve bu adrese gönderilmiş bağlantılar artık geçersiz."
                ),
                "Bu değişikliği siz yapmadıysanız hemen site yöneticisine haber verin.".into(),
            ],
            link: None,
            closing: "Sevgiler,".into(),
        },
        Locale::En => Content {
            subject: "Your e-mail address was changed".into(),
            greeting: "Hello,".into(),
            paragraphs: vec![
                format!(
                    "The e-mail address of your account was changed to {new_email} on {when} (Istanbul time); your other sessions were signed out and links sent to this address no longer work."
                ),
                "If this was not you, tell the site's administrator right away.".into(),
            ],
            link: None,
            closing: "Best regards,".into(),
        },
    };
    render(to, site, content)
}

/// The notice to the current address that a change to another one was requested.
pub fn email_change_requested(locale: Locale, site: &str, to: &str) -> Mail {
    let content = match locale {
        Locale::Tr => Content {
            subject: "E-posta adresi değişikliği istendi".into(),
            greeting: "Merhaba,".into(),
            paragraphs: vec![
                "Hesabınızın e-posta adresinin değiştirilmesi istendi. Değişiklik, yeni adrese gönderilen bağlantı onaylanınca geçerli olur.".into(),
                "Bu isteği siz yapmadıysanız parolanızı değiştirin ve site yöneticisine haber verin.".into(),
            ],
            link: None,
            closing: "Sevgiler,".into(),
        },
        Locale::En => Content {
            subject: "An e-mail address change was requested".into(),
            greeting: "Hello,".into(),
            paragraphs: vec![
                "A change of your account's e-mail address was requested. It takes effect once the link sent to the new address is confirmed.".into(),
                "If this was not you, change your password and tell the site's administrator.".into(),
            ],
            link: None,
            closing: "Best regards,".into(),
        },
    };
    render(to, site, content)
}

/// A visitor's contact form message, forwarded to the site (replies go to the visitor).
pub fn contact_message(site: &str, to: &str, message: &ForwardedMessage<'_>) -> Mail {
    let subject = message.subject.unwrap_or("(konusuz)");
    let mut paragraphs = vec![format!(
        "Gönderen: {} <{}>{}",
        message.name,
        message.email,
        message
            .phone
            .map(|p| format!(", telefon: {p}"))
            .unwrap_or_default()
    )];
    paragraphs.push(format!("Konu: {subject}"));
    paragraphs.push(message.message.to_owned());
    paragraphs.push(format!(
        "Gönderilme zamanı: {} (İstanbul saati)",
        istanbul_time(message.received_at)
    ));
    let mut mail = render(
        to,
        site,
        Content {
            subject: format!("Yeni iletişim mesajı: {subject}"),
            greeting: "Web sitenizin iletişim formundan yeni bir mesaj geldi.".into(),
            paragraphs,
            link: None,
            closing: "Bu mesajı yanıtladığınızda yanıtınız doğrudan gönderene gider.".into(),
        },
    );
    mail.reply_to = Some(message.email.to_owned());
    mail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_mail_carries_the_link_in_both_parts_and_speaks_turkish_by_default() {
        let mail = password_reset(
            Locale::Tr,
            "Vitrin",
            "a@example.com",
            "https://site/dashboard/reset-password#token=abc",
            30,
        );
        assert!(mail.subject.starts_with("Parola sıfırlama"));
        assert!(
            mail.text
                .contains("https://site/dashboard/reset-password#token=abc")
        );
        assert!(
            mail.html
                .contains("href=\"https://site/dashboard/reset-password#token=abc\"")
        );
        assert!(mail.text.contains("30 dakika"));
        let english = password_reset(Locale::En, "Vitrin", "a@example.com", "https://x", 30);
        assert!(english.text.contains("30 minutes"));
    }

    #[test]
    fn html_parts_escape_what_they_show() {
        assert_eq!(
            escape("<b>\"Ali & Veli\"</b>"),
            "&lt;b&gt;&quot;Ali &amp; Veli&quot;&lt;/b&gt;"
        );
    }
}
