//! Text from people: e-mail addresses and free-text fields, cleaned and checked the same
//! way wherever they come in.

use crate::error::{AppError, AppResult};

/// Lower-cases and trims an e-mail address; `None` when it cannot be one. Accepted are
/// exactly the plain addresses the mailer can send to (its own parser decides), with a
/// dotted domain name: no display names, quoted local parts or `[1.2.3.4]` literals.
pub fn normalize_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let plausible = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with(['.', '['])
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@');
    let sendable = email
        .parse::<lettre::message::Mailbox>()
        .is_ok_and(|mailbox| mailbox.name.is_none() && mailbox.email.to_string() == email);
    (plausible && sendable).then_some(email)
}

/// Trims `value` and checks its length and characters (newlines allowed where `multiline`);
/// a refusal names `field` (`extensions.field`).
pub fn clean_text(field: &str, value: &str, max: usize, multiline: bool) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::invalid(
            field,
            format!("{field} cannot be empty."),
        ));
    }
    if value.chars().count() > max {
        return Err(AppError::invalid(
            field,
            format!("{field} must be at most {max} characters long."),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        return Err(AppError::invalid(
            field,
            format!("{field} contains characters that are not allowed."),
        ));
    }
    Ok(value.to_owned())
}

/// An optional e-mail address: blank means none, anything else must be valid.
pub fn optional_email(value: Option<&str>) -> AppResult<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(raw) => normalize_email(raw)
            .map(Some)
            .ok_or_else(|| AppError::bad_input("That is not a valid e-mail address.")),
    }
}

/// `text` without anything that reads as a link (a URL, `www.…`, an address with `@`,
/// or a bare domain such as `bit.ly/x`), so that text we forward to someone else cannot
/// carry one. Lines are kept; spaces within a line are collapsed.
pub fn strip_links(text: &str) -> String {
    text.lines()
        .map(|line| {
            line.split_whitespace()
                .filter(|word| !looks_like_link(word))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

fn looks_like_link(word: &str) -> bool {
    // Full-width and ideographic dots read as dots to people and to some mail programs.
    let word: String = word
        .chars()
        .map(|c| match c {
            '。' | '．' | '｡' => '.',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    if ["://", ":/", "@", "www.", "xn--"]
        .iter()
        .any(|mark| word.contains(mark))
    {
        return true;
    }
    word.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .any(|piece| is_host(piece.trim_matches('.')))
}

/// Whether `piece` has the shape of a host name (`evil.com`) or an IPv4 address.
fn is_host(piece: &str) -> bool {
    let labels: Vec<&str> = piece.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return false;
    }
    let address = labels.len() == 4
        && labels
            .iter()
            .all(|l| l.len() <= 3 && l.chars().all(|c| c.is_ascii_digit()));
    let top = labels.last().copied().unwrap_or_default();
    address || (top.chars().count() >= 2 && top.chars().all(char::is_alphabetic))
}

/// Text folded for matching and ordering: lower-case, with Turkish letters written as
/// their ASCII bases (ç→c, ğ→g, ı and İ→i, ö→o, ş→s, ü→u; circumflexes dropped), so that
/// "IŞIK", "ışık" and "isik" are the same words on either database.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ç' | 'Ç' => folded.push('c'),
            'ğ' | 'Ğ' => folded.push('g'),
            'ı' | 'İ' | 'I' | 'î' | 'Î' => folded.push('i'),
            'ö' | 'Ö' => folded.push('o'),
            'ş' | 'Ş' => folded.push('s'),
            'ü' | 'Ü' | 'û' | 'Û' => folded.push('u'),
            'â' | 'Â' => folded.push('a'),
            _ => folded.extend(c.to_lowercase()),
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_hidden_in_punctuation_odd_dots_or_numbers_are_removed_too() {
        for word in [
            "evil.com,tikla",
            "evil.com)indirim",
            "bak:evil.com/kampanya",
            "HTTPS:evil.com",
            "185.199.108.153/giris",
            "kampanya.xn--p1ai",
            "ev_il.com",
            "evil。com",
            "evil．com",
            "hxxps://evil.com",
        ] {
            assert_eq!(
                strip_links(&format!("önce {word} sonra")),
                "önce sonra",
                "{word}"
            );
        }
        assert_eq!(
            strip_links("Fiyatı 3.5 kat, 1.250,00 ₺"),
            "Fiyatı 3.5 kat, 1.250,00 ₺"
        );
    }

    #[test]
    fn links_of_every_kind_are_removed_and_the_words_stay() {
        let text = "Bak şuna: https://evil.example/x ve www.kampanya.com ya da bit.ly/abc,\nyaz bana ali@mail.com. Fiyatı 3.5 kat ucuz!";
        assert_eq!(
            strip_links(text),
            "Bak şuna: ve ya da\nyaz bana Fiyatı 3.5 kat ucuz!"
        );
    }

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            normalize_email("  Owner@Example.COM ").as_deref(),
            Some("owner@example.com")
        );
        assert_eq!(normalize_email("no-at-sign"), None);
        assert_eq!(normalize_email("a@b"), None);
        assert_eq!(normalize_email("a b@example.com"), None);
        assert_eq!(normalize_email("a..b@example.com"), None);
    }

    #[test]
    fn only_addresses_the_mailer_can_send_to_are_accepted() {
        for refused in [
            "x@[127.0.0.1]",
            "\"a b\"@example.com",
            "Evil<x@example.com>",
        ] {
            assert_eq!(normalize_email(refused), None, "{refused}");
        }
        for accepted in ["x@example.com", "ayşe@örnek.com.tr"] {
            let email = normalize_email(accepted).unwrap();
            assert!(email.parse::<lettre::message::Mailbox>().is_ok(), "{email}");
        }
    }

    #[test]
    fn text_is_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(clean_text("name", "  Ayşe  ", 10, false).unwrap(), "Ayşe");
        assert!(clean_text("name", "   ", 10, false).is_err());
        assert!(clean_text("name", "çok uzun bir ad", 5, false).is_err());
        assert!(clean_text("name", "a\nb", 10, false).is_err());
        assert_eq!(clean_text("message", "a\nb", 10, true).unwrap(), "a\nb");
    }

    #[test]
    fn turkish_letters_fold_to_their_ascii_bases() {
        assert_eq!(fold("IŞIK"), "isik");
        assert_eq!(fold("ışık"), "isik");
        assert_eq!(fold("İstanbul Çiçekçisi"), "istanbul cicekcisi");
        assert_eq!(fold("Öğrenci Üniforması"), "ogrenci uniformasi");
        assert_eq!(fold("Kâğıt"), "kagit");
    }
}
