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

#[cfg(test)]
mod tests {
    use super::*;

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
