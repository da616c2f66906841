//! Where each key of a scenario file sits, so that a check made after parsing (an
//! override the catalog refuses, an incident target beyond the cluster) names the line
//! as a parse error would.

use std::collections::BTreeMap;

/// Line of every key, by dotted path: `section.key`, `overrides.ID.field` (the quoted
/// key as written), `incidents[i].key` for the i-th `[[incidents]]` table (0-based), and
/// each table header under its own path.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KeyLines(BTreeMap<String, usize>);

impl KeyLines {
    pub fn of(text: &str) -> Self {
        let mut map = BTreeMap::new();
        let mut table = String::new();
        let mut arrays: BTreeMap<String, usize> = BTreeMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let t = raw.split_once(" #").map_or(raw, |(a, _)| a).trim();
            if let Some(name) = t.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
                let name = name.trim().to_string();
                let n = arrays.entry(name.clone()).or_insert(0);
                table = format!("{name}[{n}]");
                *n += 1;
                map.entry(table.clone()).or_insert(line);
            } else if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                table = name.trim().to_string();
                map.entry(table.clone()).or_insert(line);
            } else if let Some((k, _)) = t.split_once('=') {
                let k = k.trim().trim_matches('"');
                if k.is_empty() || k.starts_with('#') {
                    continue;
                }
                let path = if table.is_empty() {
                    k.to_string()
                } else {
                    format!("{table}.{k}")
                };
                map.entry(path).or_insert(line);
            }
        }
        KeyLines(map)
    }

    /// The line of `path`, or of the nearest enclosing table that has one.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        let mut p = path;
        loop {
            if let Some(&l) = self.0.get(p) {
                return Some(l);
            }
            p = &p[..p.rfind('.')?];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"name = "t"
[request]
logical_pb = 2

[overrides]
"assumptions.tcp_protocol_efficiency" = 0
"L96as_v4.vcpus" = 0   # a comment

[[incidents]]
day = 1
kind = "leaf"

[[incidents]]
day = 2
target = 999
"#;

    #[test]
    fn keys_tables_overrides_and_array_tables() {
        let k = KeyLines::of(TEXT);
        assert_eq!(k.line_of("name"), Some(1));
        assert_eq!(k.line_of("request.logical_pb"), Some(3));
        assert_eq!(
            k.line_of("overrides.assumptions.tcp_protocol_efficiency"),
            Some(6)
        );
        assert_eq!(k.line_of("overrides.L96as_v4.vcpus"), Some(7));
        assert_eq!(k.line_of("incidents[0].kind"), Some(11));
        assert_eq!(k.line_of("incidents[1].target"), Some(15));
        // A key the file leaves out: its table's header.
        assert_eq!(k.line_of("incidents[1].capacity_fraction"), Some(13));
        assert_eq!(k.line_of("nosuch.key"), None);
    }
}
