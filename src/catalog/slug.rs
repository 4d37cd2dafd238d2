//! Slugs: the readable, stable names of products and categories in addresses.

use crate::text::fold;

/// The longest slug.
pub const MAX_LEN: usize = 80;

/// The slug made from a name: Turkish letters folded, lower-case, words joined by `-`;
/// `None` when the name has no letter or digit to make one from.
pub fn from_name(name: &str) -> Option<String> {
    let mut slug = String::with_capacity(name.len());
    for c in fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    if slug.len() > MAX_LEN {
        slug.truncate(MAX_LEN);
        if let Some(cut) = slug.rfind('-').filter(|&i| i > MAX_LEN / 2) {
            slug.truncate(cut);
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    (!slug.is_empty()).then_some(slug)
}

/// Whether `slug` is one we would write: lower-case ASCII letters and digits in words
/// joined by single hyphens, at most [`MAX_LEN`] long.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_LEN
        && slug.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The first of `base`, `base-2`, `base-3`, … that is not in `taken`.
pub fn first_free(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| {
            let suffix = format!("-{n}");
            let mut stem = base.to_owned();
            stem.truncate(MAX_LEN - suffix.len());
            format!("{}{suffix}", stem.trim_end_matches('-'))
        })
        .find(|candidate| !taken.iter().any(|t| t == candidate))
        .unwrap_or_else(|| base.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_folded_hyphenated_slugs() {
        assert_eq!(
            from_name("Işıklı Çay Bardağı").as_deref(),
            Some("isikli-cay-bardagi")
        );
        assert_eq!(
            from_name("  Öğle -- Yemeği!  ").as_deref(),
            Some("ogle-yemegi")
        );
        assert_eq!(
            from_name("İNCE ŞAL (%100 Pamuk)").as_deref(),
            Some("ince-sal-100-pamuk")
        );
        assert_eq!(from_name("!!!"), None);
        assert!(from_name(&"uzun ".repeat(40)).unwrap().len() <= MAX_LEN);
    }

    #[test]
    fn only_tidy_slugs_are_valid() {
        assert!(is_valid("cay-bardagi-2"));
        for bad in [
            "",
            "Cay",
            "cay--bardagi",
            "-cay",
            "cay-",
            "çay",
            "cay bardagi",
        ] {
            assert!(!is_valid(bad), "{bad:?}");
        }
    }

    #[test]
    fn collisions_get_the_next_free_number() {
        let taken = vec!["cay".to_owned(), "cay-2".to_owned()];
        assert_eq!(first_free("cay", &taken), "cay-3");
        assert_eq!(first_free("kahve", &taken), "kahve");
    }
}
