//! Inputs that are legal but almost surely not what the author meant. Loading accepts
//! them (each is a valid scenario); the commands print these as warnings on stderr.

use super::types::Scenario;

/// Warnings for `sc`, each one sentence naming the field. Times are judged against the
/// scenario's own `[simulation] days`: a command's `--days` that shortens the run is
/// taken as meant.
///
/// ```
/// use vastplan_models::scenario::{parse_scenario, warnings};
/// let text = r#"
/// name = "late-growth"
/// description = "a tranche the run never reaches"
/// seed = 1
/// candidates = ["L96as_v5"]
/// [request]
/// logical_pb = 1
/// workload_class = "ai-training"
/// [[tranches]]
/// day = 60
/// label = "Q2 nodes"
/// add_nodes = 4
/// [simulation]
/// days = 14
/// sample_interval_s = 600
/// "#;
/// let sc = parse_scenario("example.toml", text).unwrap();
/// let w = warnings(&sc);
/// assert!(w[0].contains("after the last simulated day"), "{w:?}");
/// ```
pub fn warnings(sc: &Scenario) -> Vec<String> {
    let mut w = Vec::new();
    let days = sc.simulation.as_ref().map(|s| s.days);
    if sc.name.trim().is_empty() {
        w.push("`name` is empty: reports and file names will show nothing".to_string());
    }
    for (i, id) in sc.candidates.iter().enumerate() {
        if sc.candidates[..i].contains(id) {
            w.push(format!(
                "`candidates` lists {id} more than once: it is planned once per listing"
            ));
        }
    }
    for t in &sc.tranches {
        if t.add_nodes == 0 && t.add_gpus == 0 {
            w.push(format!(
                "tranche `{}` (day {}) adds no nodes and no GPUs: it changes nothing",
                t.label, t.day
            ));
        }
        if let Some(d) = days {
            if t.day >= d {
                w.push(format!(
                    "tranche `{}` at day {} comes after the last simulated day ({d}): it never \
                     happens; raise `simulation.days` above {} or move the tranche",
                    t.label, t.day, t.day
                ));
            }
        }
    }
    if let Some(d) = days {
        for (k, inc) in sc.incidents.iter().enumerate() {
            if inc.day >= d {
                w.push(format!(
                    "incident {} ({:?}) at day {} comes after the last simulated day ({d}): it \
                     never happens; raise `simulation.days` above {} or move the incident",
                    k + 1,
                    inc.kind,
                    inc.day,
                    inc.day
                ));
            }
        }
    }
    if let (Some(ck), Some(d)) = (&sc.checkpoint, days) {
        if ck.interval_minutes * 60.0 > d * 86_400.0 {
            w.push(format!(
                "`checkpoint.interval_minutes` = {} is longer than the simulated {d} days: no \
                 checkpoint is taken",
                ck.interval_minutes
            ));
        }
    }
    w
}
