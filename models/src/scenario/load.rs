use super::Scenario;
use crate::catalog::rules::show;
use crate::error::InputError;
use std::path::Path;

/// Reads and validates a scenario file.
pub fn load_scenario(path: &Path) -> Result<Scenario, InputError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::new(&name, format!("cannot read scenario: {e}")))?;
    parse_scenario(&name, &text)
}

/// Parses scenario text; `file` names it in errors.
pub fn parse_scenario(file: &str, text: &str) -> Result<Scenario, InputError> {
    let mut sc: Scenario = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    sc.key_lines = super::KeyLines::of(text);
    validate(file, text, &sc)?;
    Ok(sc)
}

/// Turns a TOML error into file:line: field `key`: message. The key is the dotted path of
/// the table header above the error plus the key on the error's line, or the name the
/// message quotes (serde says "missing field `x`" with a span over the whole table).
pub fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> InputError {
    // toml's messages can span lines ("expected `.`, `]`" below the headline); errors
    // print as one line.
    let msg = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let mut err = InputError::new(file, msg.clone());
    if let Some(span) = e.span() {
        let start = span.start.min(text.len());
        let line_no = text[..start].matches('\n').count() + 1;
        err = err.at_line(line_no);
        let table = table_above(text, line_no);
        let quoted = msg.split('`').nth(1).map(str::to_string);
        let line = text.lines().nth(line_no - 1).unwrap_or("");
        let key_on_line = line
            .split_once('=')
            .map(|(k, _)| k.trim().trim_matches('"').to_string());
        // Only serde's field messages quote a key; a syntax error quotes expected tokens.
        let key = if msg.starts_with("missing field") || msg.starts_with("unknown field") {
            quoted.or(key_on_line)
        } else {
            key_on_line
        };
        if let Some(k) = key {
            let full = match table {
                Some(t) if !k.starts_with('[') => format!("{t}.{k}"),
                _ => k,
            };
            err = err.field(full);
        }
    }
    err
}

/// The `[table]` or `[[array]]` header in force at `line_no` (1-based), if any.
fn table_above(text: &str, line_no: usize) -> Option<String> {
    text.lines()
        .take(line_no)
        .filter_map(|l| {
            let t = l.trim();
            t.strip_prefix("[[")
                .and_then(|r| r.strip_suffix("]]"))
                .or_else(|| t.strip_prefix('[').and_then(|r| r.strip_suffix(']')))
                .map(|s| s.trim().to_string())
        })
        .last()
}

/// Range checks serde cannot express. Each error points at the line of the key.
fn validate(file: &str, text: &str, sc: &Scenario) -> Result<(), InputError> {
    let err = |key: &str, msg: &str| {
        let mut e = InputError::new(file, msg.to_string()).field(key);
        if let Some(l) = line_of_key(text, key) {
            e = e.at_line(l);
        }
        e
    };
    let positive = |key: &str, v: f64| {
        if v.is_finite() && v > 0.0 {
            Ok(())
        } else {
            Err(err(key, &format!("must be a positive number, got {v}")))
        }
    };
    positive("request.logical_pb", sc.request.logical_pb)?;
    if let Some(d) = sc.request.drr {
        if !(d.is_finite() && d >= 1.0) {
            return Err(err(
                "request.drr",
                &format!("must be at least 1.0, got {d}"),
            ));
        }
    }
    for (k, v) in [
        ("request.read_gbs", sc.request.read_gbs),
        ("request.write_gbs", sc.request.write_gbs),
        (
            "request.max_usd_per_gbs_month",
            sc.request.max_usd_per_gbs_month,
        ),
        ("request.max_usd_per_month", sc.request.max_usd_per_month),
    ] {
        if let Some(v) = v {
            if !(v.is_finite() && v >= 0.0) {
                return Err(err(k, &format!("must be zero or positive, got {v}")));
            }
        }
    }
    if let Some(t) = &sc.targets {
        for (k, v, hi) in [
            ("targets.gpu_utilisation_min", t.gpu_utilisation_min, 1.0),
            ("targets.checkpoint_p99_s", t.checkpoint_p99_s, 1e9),
            ("targets.durability_nines_min", t.durability_nines_min, 30.0),
            ("targets.usd_per_month_max", t.usd_per_month_max, 1e15),
            (
                "targets.usd_per_gbs_month_max",
                t.usd_per_gbs_month_max,
                1e12,
            ),
            ("targets.read_gbs", t.read_gbs, 1e9),
            ("targets.write_gbs", t.write_gbs, 1e9),
        ] {
            if let Some(v) = v {
                if !(v.is_finite() && (0.0..=hi).contains(&v)) {
                    return Err(err(k, &format!("must be between 0 and {hi}, got {v}")));
                }
                // No checkpoint takes no time: a zero p99 target can never be met, and
                // `plan` would grow every candidate chasing it.
                if k == "targets.checkpoint_p99_s" && v == 0.0 {
                    return Err(err(k, "must be positive: no checkpoint takes no time"));
                }
            }
        }
    }
    if sc.candidates.is_empty() {
        return Err(err("candidates", "name at least one catalog shape"));
    }
    let mut seen = std::collections::HashSet::new();
    for c in &sc.candidates {
        if !seen.insert(c) {
            return Err(err("candidates", &format!("{c} is listed twice")));
        }
    }
    if let Some(c) = &sc.clients {
        if !(c.reading_fraction > 0.0 && c.reading_fraction <= 1.0) {
            return Err(err("clients.reading_fraction", "must be in (0, 1]"));
        }
        if c.sessions_per_client == 0 {
            return Err(err("clients.sessions_per_client", "must be at least 1"));
        }
    }
    if let Some(c) = &sc.checkpoint {
        positive("checkpoint.bytes_per_param", c.bytes_per_param)?;
        positive("checkpoint.interval_minutes", c.interval_minutes)?;
        if c.jobs == 0 {
            return Err(err("checkpoint.jobs", "must be at least 1"));
        }
        if let Some(t) = c.target_seconds {
            positive("checkpoint.target_seconds", t)?;
        }
    }
    if let Some(i) = &sc.interruptions {
        positive("interruptions.gpu_mttf_hours", i.gpu_mttf_hours)?;
    }
    if let Some(f) = &sc.failures {
        for (k, v) in [
            ("failures.drive_afr", f.drive_afr),
            ("failures.node_loss_per_year", f.node_loss_per_year),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(err(k, &format!("must be zero or positive, got {v}")));
            }
        }
        if let Some(c) = f.rebuild_cap_gbs {
            positive("failures.rebuild_cap_gbs", c)?;
        }
        if f.rebuild_streams == Some(0) {
            return Err(err("failures.rebuild_streams", "must be at least 1"));
        }
    }
    // Keys of the i-th `[[tranches]]` or `[[incidents]]` table, at that table's line.
    let item_err = |table: &str, i: usize, key: &str, msg: &str| {
        sc.error_at(
            file,
            &format!("{table}[{i}].{key}"),
            &format!("{table}.{key}"),
            msg,
        )
    };
    let mut last_day = 0.0;
    for (i, t) in sc.tranches.iter().enumerate() {
        if !(t.day.is_finite() && t.day >= last_day) {
            return Err(item_err(
                "tranches",
                i,
                "day",
                &format!(
                    "tranche `{}`: days must be non-negative and in order",
                    t.label
                ),
            ));
        }
        last_day = t.day;
    }
    for (k, inc) in sc.incidents.iter().enumerate() {
        let what = format!("incident {} ({:?})", k + 1, inc.kind);
        if !(inc.day.is_finite() && inc.day >= 0.0) {
            return Err(item_err(
                "incidents",
                k,
                "day",
                &format!("{what}: day must be zero or positive"),
            ));
        }
        if let super::TargetSpec::Word(w) = &inc.target {
            if w != "random" {
                return Err(item_err(
                    "incidents",
                    k,
                    "target",
                    &format!("{what}: target must be an index or \"random\", got {w:?}"),
                ));
            }
        }
        if let Some(h) = inc.duration_hours {
            if !(h.is_finite() && h > 0.0) {
                return Err(item_err(
                    "incidents",
                    k,
                    "duration_hours",
                    &format!("{what}: must be positive"),
                ));
            }
        }
        match (inc.kind, inc.capacity_fraction) {
            (super::IncidentKindSpec::Degrade, Some(f)) if (0.0..1.0).contains(&f) => {}
            (super::IncidentKindSpec::Degrade, _) => {
                return Err(item_err(
                    "incidents",
                    k,
                    "capacity_fraction",
                    &format!("{what}: a degrade needs capacity_fraction in [0, 1)"),
                ))
            }
            (_, Some(_)) => {
                return Err(item_err(
                    "incidents",
                    k,
                    "capacity_fraction",
                    &format!("{what}: only a degrade takes capacity_fraction"),
                ))
            }
            _ => {}
        }
        if inc.cnode
            && !matches!(
                inc.kind,
                super::IncidentKindSpec::Node | super::IncidentKindSpec::Degrade
            )
        {
            return Err(item_err(
                "incidents",
                k,
                "cnode",
                &format!("{what}: only node and degrade hit a CNode"),
            ));
        }
    }
    if let Some(i) = &sc.inference {
        positive("inference.offloaded_tokens_per_s", i.offloaded_tokens_per_s)?;
        if !(i.reads_per_token.is_finite() && i.reads_per_token >= 0.0) {
            return Err(err("inference.reads_per_token", "must be zero or positive"));
        }
    }
    if let Some(s) = &sc.simulation {
        positive("simulation.days", s.days)?;
        positive("simulation.sample_interval_s", s.sample_interval_s)?;
    }
    bounds(sc, &err)?;
    if let Some(r) = &sc.ratio {
        if r.gpu_counts.is_empty() || r.gpu_counts.contains(&0) {
            return Err(err(
                "ratio.gpu_counts",
                "list one or more positive GPU counts",
            ));
        }
    }
    if let Some(n) = &sc.network {
        if let Some(o) = n.oversubscription {
            if !(o.is_finite() && o >= 1.0) {
                return Err(err(
                    "network.oversubscription",
                    &format!("must be at least 1, got {o}"),
                ));
            }
        }
        for (k, v) in [
            ("network.nodes_per_rack", n.nodes_per_rack),
            ("network.clients_per_rack", n.clients_per_rack),
            ("network.leaves_per_rack", n.leaves_per_rack),
        ] {
            if v == Some(0) {
                return Err(err(k, "must be at least 1"));
            }
        }
        match (n.hot_cnode_fraction, n.hot_connection_share) {
            (None, None) => {}
            (Some(f), Some(s)) => {
                if !(f.is_finite() && f > 0.0 && f < 1.0) {
                    return Err(err(
                        "network.hot_cnode_fraction",
                        &format!("must be between 0 and 1 (exclusive), got {f}"),
                    ));
                }
                if !(s.is_finite() && s >= f && s < 1.0) {
                    return Err(err(
                        "network.hot_connection_share",
                        &format!("must be at least hot_cnode_fraction ({f}) and below 1, got {s}"),
                    ));
                }
            }
            (Some(_), None) => {
                return Err(err(
                    "network.hot_cnode_fraction",
                    "give hot_connection_share with it: the share of traffic the hot ones carry",
                ))
            }
            (None, Some(_)) => {
                return Err(err(
                    "network.hot_connection_share",
                    "give hot_cnode_fraction with it: the fraction of CNodes that are hot",
                ))
            }
        }
    }
    Ok(())
}

/// Longest simulated run, days: ten years at any sample interval stays within memory.
pub const MAX_DAYS: f64 = 3_650.0;
/// Most samples a run's series may hold.
pub const MAX_SAMPLES: f64 = 1e6;
/// Most GPUs, storage nodes or sessions a scenario may name.
pub const MAX_COUNT: u32 = 10_000_000;

/// Upper bounds: a value beyond what the model can represent or simulate in reasonable
/// time and memory is an error, as a zero or a negative is.
fn bounds(sc: &Scenario, err: &dyn Fn(&str, &str) -> InputError) -> Result<(), InputError> {
    let within = |key: &str, v: f64, lo: f64, hi: f64| -> Result<(), InputError> {
        if v.is_finite() && v >= lo && v <= hi {
            Ok(())
        } else {
            Err(err(
                key,
                &format!(
                    "must be between {} and {}, got {}",
                    show(lo),
                    show(hi),
                    show(v)
                ),
            ))
        }
    };
    let count = |key: &str, v: u32| -> Result<(), InputError> {
        if v <= MAX_COUNT {
            Ok(())
        } else {
            Err(err(key, &format!("must be at most {MAX_COUNT}, got {v}")))
        }
    };
    if sc.name.trim().is_empty() {
        return Err(err("name", "must not be empty"));
    }
    within("request.logical_pb", sc.request.logical_pb, 1e-6, 1e6)?;
    if let Some(d) = sc.request.drr {
        within("request.drr", d, 1.0, 100.0)?;
    }
    for (k, v) in [
        ("request.read_gbs", sc.request.read_gbs),
        ("request.write_gbs", sc.request.write_gbs),
    ] {
        if let Some(v) = v {
            within(k, v, 0.0, 1e9)?;
        }
    }
    for (k, v) in [
        (
            "request.max_usd_per_gbs_month",
            sc.request.max_usd_per_gbs_month,
        ),
        ("request.max_usd_per_month", sc.request.max_usd_per_month),
    ] {
        if let Some(v) = v {
            within(k, v, 0.0, 1e15)?;
        }
    }
    if let Some(c) = &sc.clients {
        count("clients.gpus", c.gpus)?;
        count("clients.sessions_per_client", c.sessions_per_client)?;
    }
    if let Some(c) = &sc.checkpoint {
        within("checkpoint.bytes_per_param", c.bytes_per_param, 0.0, 64.0)?;
        within("checkpoint.interval_minutes", c.interval_minutes, 0.1, 1e6)?;
        count("checkpoint.jobs", c.jobs)?;
        if let Some(t) = c.target_seconds {
            within("checkpoint.target_seconds", t, 0.0, 1e7)?;
        }
    }
    if let Some(i) = &sc.interruptions {
        within("interruptions.gpu_mttf_hours", i.gpu_mttf_hours, 1.0, 1e9)?;
    }
    if let Some(f) = &sc.failures {
        within("failures.drive_afr", f.drive_afr, 0.0, 100.0)?;
        within(
            "failures.node_loss_per_year",
            f.node_loss_per_year,
            0.0,
            1_000.0,
        )?;
        if let Some(c) = f.rebuild_cap_gbs {
            within("failures.rebuild_cap_gbs", c, 1e-3, 1e6)?;
        }
        if let Some(r) = f.rebuild_streams {
            count("failures.rebuild_streams", r)?;
        }
    }
    for t in &sc.tranches {
        within("tranches.day", t.day, 0.0, MAX_DAYS)?;
        count("tranches.add_nodes", t.add_nodes)?;
        count("tranches.add_gpus", t.add_gpus)?;
    }
    if let Some(i) = &sc.inference {
        within(
            "inference.offloaded_tokens_per_s",
            i.offloaded_tokens_per_s,
            0.0,
            1e12,
        )?;
        within("inference.reads_per_token", i.reads_per_token, 0.0, 1e6)?;
    }
    if let Some(s) = &sc.simulation {
        within("simulation.days", s.days, 1e-6, MAX_DAYS)?;
        within(
            "simulation.sample_interval_s",
            s.sample_interval_s,
            1.0,
            1e9,
        )?;
        if s.days * 86_400.0 / s.sample_interval_s > MAX_SAMPLES {
            return Err(err(
                "simulation.sample_interval_s",
                &format!(
                    "gives more than {MAX_SAMPLES} samples over {} days; sample less often",
                    s.days
                ),
            ));
        }
    }
    if let Some(r) = &sc.ratio {
        within("ratio.tb_per_gpu", r.tb_per_gpu, 0.0, 1e6)?;
        for g in &r.gpu_counts {
            count("ratio.gpu_counts", *g)?;
        }
    }
    if let Some(m) = sc.layout.as_ref().and_then(|l| l.strips_per_domain) {
        // The widest stripe the catalog allows (`vast_max_stripe_width` at most 10,000);
        // whether the cluster's stripe fits is checked once the cluster is sized.
        within("layout.strips_per_domain", m as f64, 1.0, 10_000.0)?;
    }
    if let Some(n) = &sc.network {
        if let Some(o) = n.oversubscription {
            within("network.oversubscription", o, 1.0, 100.0)?;
        }
        for (k, v) in [
            ("network.nodes_per_rack", n.nodes_per_rack),
            ("network.clients_per_rack", n.clients_per_rack),
        ] {
            if let Some(v) = v {
                within(k, v as f64, 1.0, 10_000.0)?;
            }
        }
    }
    Ok(())
}

/// Line (1-based) where `section.key` is set, for errors found after parsing.
pub fn line_of_key(text: &str, dotted: &str) -> Option<usize> {
    let (section, key) = match dotted.rsplit_once('.') {
        Some((s, k)) => (Some(s), k),
        None => (None, dotted),
    };
    let mut current: Option<String> = None;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.starts_with('[') {
            current = Some(t.trim_matches(|c| c == '[' || c == ']').trim().to_string());
            continue;
        }
        if let Some((k, _)) = t.split_once('=') {
            if k.trim() == key && current.as_deref() == section {
                return Some(i + 1);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
name = "t"
description = "a test"
seed = 1
candidates = ["L96as_v5"]

[request]
logical_pb = 40
workload_class = "ai-training"
"#;

    #[test]
    fn minimal_scenario_parses() {
        let sc = parse_scenario("t.toml", MINIMAL).unwrap();
        assert_eq!(sc.request.logical_pb, 40.0);
        assert!(sc.clients.is_none());
        assert!(sc.tranches.is_empty());
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let text = MINIMAL.replace("logical_pb = 40", "logical_pb = 40\nlogicl_pb = 3");
        let e = parse_scenario("s.toml", &text).unwrap_err();
        assert_eq!(e.line, Some(9), "{e}");
        assert_eq!(e.field.as_deref(), Some("request.logicl_pb"), "{e}");
        assert!(e.message.contains("unknown field"), "{e}");
    }

    #[test]
    fn wrong_type_names_the_key() {
        let text = MINIMAL.replace("logical_pb = 40", "logical_pb = \"forty\"");
        let e = parse_scenario("s.toml", &text).unwrap_err();
        assert_eq!(e.line, Some(8), "{e}");
        assert_eq!(e.field.as_deref(), Some("request.logical_pb"), "{e}");
    }

    #[test]
    fn missing_field_names_the_key() {
        let text = MINIMAL.replace("workload_class = \"ai-training\"\n", "");
        let e = parse_scenario("s.toml", &text).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("request.workload_class"), "{e}");
        assert!(e.line.is_some(), "{e}");
    }

    #[test]
    fn range_errors_point_at_the_line() {
        let text = MINIMAL.replace("logical_pb = 40", "logical_pb = -4");
        let e = parse_scenario("s.toml", &text).unwrap_err();
        assert_eq!(e.line, Some(8), "{e}");
        assert_eq!(e.field.as_deref(), Some("request.logical_pb"));
    }

    #[test]
    fn malformed_toml_is_an_error_not_a_panic() {
        for bad in ["name = ", "[request", "\u{0}", "x = [1, 2", "= 3"] {
            assert!(parse_scenario("s.toml", bad).is_err());
        }
    }
}
