//! Product descriptions: Markdown written by the owner, published as sanitised HTML.

/// The longest description, in characters.
pub const MAX_LEN: usize = 20_000;

/// The HTML of a Markdown description, with anything a browser could run removed
/// (scripts, event handlers, `javascript:` links, raw HTML the allow-list does not know).
pub fn to_html(markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(
        markdown,
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
    );
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&html)
        .to_string()
}

/// The description's words as plain text, cut at a word before `max_chars` (with an
/// ellipsis): what a search result or a link preview shows. Raw HTML is left out.
pub fn summary(markdown: &str, max_chars: usize) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => text.push(' '),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for word in words {
        let extra = usize::from(!out.is_empty()) + word.chars().count();
        if out.chars().count() + extra > max_chars.saturating_sub(1) {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_is_plain_words_cut_at_a_word() {
        assert_eq!(
            summary("# Kupa\n\n**Pamuk** ve <b>keten</b> `kılıf`", 100),
            "Kupa Pamuk ve keten kılıf"
        );
        assert_eq!(summary("bir iki üç dört", 10), "bir iki…");
    }

    #[test]
    fn markdown_becomes_html() {
        assert_eq!(
            to_html("**Pamuk** ve *keten*"),
            "<p><strong>Pamuk</strong> ve <em>keten</em></p>\n"
        );
    }

    #[test]
    fn nothing_that_runs_survives() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(
            html.contains("<a rel=\"noopener noreferrer nofollow\">a</a>"),
            "{html}"
        );
    }
}
