//! The e-mail that carries a product a customer sent to a friend. It comes from the
//! site (never from the customer's address), says who sent it, shows the product as a
//! card and ends with the link that stops such e-mails for good.

use super::escape;
use crate::locale::Locale;
use crate::mail::Mail;

/// What the shared-product e-mail shows.
pub struct SharedProduct<'a> {
    /// The sender's name as their account has it (links already removed).
    pub sender: &'a str,
    /// How the sender greeted the friend, if they gave a name.
    pub friend_name: Option<&'a str>,
    /// Their note, plain text without links.
    pub message: Option<&'a str>,
    pub product_name: &'a str,
    /// The price as shown in the shop.
    pub price: &'a str,
    /// The product's picture, when it has one.
    pub picture: Option<&'a str>,
    /// The product's page.
    pub link: &'a str,
    /// The link that stops shared-product e-mails to this address.
    pub opt_out: &'a str,
}

/// To the friend: a customer sent them a product.
pub fn product_shared(locale: Locale, site: &str, to: &str, share: &SharedProduct<'_>) -> Mail {
    let (subject, greeting, intro, note_label, button, footer) = match locale {
        Locale::Tr => (
            format!(
                "{} size bir ürün gönderdi: {}",
                share.sender, share.product_name
            ),
            match share.friend_name {
                Some(name) => format!("Merhaba {name},"),
                None => "Merhaba,".to_owned(),
            },
            format!(
                "{} bu ürünü {site} üzerinden size göndermek istedi.",
                share.sender
            ),
            "Notu:",
            "Ürünü görüntüle",
            format!(
                "Bu e-postayı {site} sitesi, bir müşterisinin isteğiyle gönderdi; e-posta adresiniz ona gösterilmez. Ürün paylaşımı e-postaları almak istemiyorsanız:"
            ),
        ),
        Locale::En => (
            format!(
                "{} sent you a product: {}",
                share.sender, share.product_name
            ),
            match share.friend_name {
                Some(name) => format!("Hello {name},"),
                None => "Hello,".to_owned(),
            },
            format!(
                "{} wanted to show you this product on {site}.",
                share.sender
            ),
            "Their note:",
            "View the product",
            format!(
                "{site} sent this e-mail at a customer's request; your address is not shown to them. To receive no more shared products:"
            ),
        ),
    };
    let stop = match locale {
        Locale::Tr => "Bu e-postaları durdur",
        Locale::En => "Stop these e-mails",
    };
    let mut text = format!("{greeting}\n\n{intro}\n\n");
    if let Some(message) = share.message {
        text.push_str(&format!("{note_label}\n{message}\n\n"));
    }
    text.push_str(&format!(
        "{}\n{}\n{}\n\n{footer}\n{}\n",
        share.product_name, share.price, share.link, share.opt_out
    ));
    let mut html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5;color:#222\"><p>{}</p><p>{}</p>",
        escape(&greeting),
        escape(&intro)
    );
    if let Some(message) = share.message {
        html.push_str(&format!(
            "<p style=\"margin:0\">{}</p><blockquote style=\"white-space:pre-line;margin:4px 0 16px;padding:8px 12px;border-left:3px solid #ccc;color:#444\">{}</blockquote>",
            escape(note_label),
            escape(message)
        ));
    }
    html.push_str("<table role=\"presentation\" style=\"border:1px solid #e5e7eb;border-radius:8px;padding:12px;max-width:360px\"><tr><td>");
    if let Some(picture) = share.picture {
        html.push_str(&format!(
            "<a href=\"{link}\"><img src=\"{src}\" alt=\"{alt}\" width=\"320\" style=\"max-width:100%;height:auto;border-radius:6px\"></a>",
            link = escape(share.link),
            src = escape(picture),
            alt = escape(share.product_name)
        ));
    }
    html.push_str(&format!(
        "<p style=\"font-weight:bold;margin:8px 0 0\">{}</p><p style=\"margin:0 0 12px\">{}</p><a href=\"{}\" style=\"display:inline-block;padding:10px 16px;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:6px\">{}</a></td></tr></table>",
        escape(share.product_name),
        escape(share.price),
        escape(share.link),
        escape(button)
    ));
    html.push_str(&format!(
        "<p style=\"font-size:12px;color:#555;margin-top:24px\">{} <a href=\"{}\">{}</a></p></body></html>",
        escape(&footer),
        escape(share.opt_out),
        escape(stop)
    ));
    Mail {
        to: to.to_owned(),
        reply_to: None,
        subject: format!("{subject} – {site}"),
        text,
        html,
    }
}
