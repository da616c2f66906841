//! Escaping for text placed in SVG/HTML, shared so no writer can forget a case.

/// Escapes `s` for use as XML/HTML text content or a double- or single-quoted attribute.
///
/// Control characters other than tab, newline and carriage return are not allowed in
/// XML 1.0 at all, even as character references, so they are dropped rather than
/// escaped: a stray byte in a dataset name must not make the whole SVG unparsable.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_chars() {
        assert_eq!(escape_xml("<a&b>"), "&lt;a&amp;b&gt;");
        assert_eq!(escape_xml("\"q\" 'a'"), "&quot;q&quot; &#39;a&#39;");
        assert_eq!(escape_xml("x\u{1}y\u{7f}z"), "xyz");
        assert_eq!(escape_xml("µs → 5"), "µs → 5");
    }
}
