//! The per-device topology: scripted incidents move what they should, the symmetry
//! reduction is exact (a reduced run equals the fully expanded one), and a rack lost with
//! more strips than the parity makes data unavailable.

use std::path::PathBuf;
use vastplan_models::scenario::{load_scenario, parse_scenario, Scenario};
use vastplan_models::simulate::resolve::{apply_overrides, sim_input, sizing};
use vastplan_models::simulate::{run, SimInput, SimResult};
use vastplan_models::Catalog;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn input_of(sc: &Scenario, shape: &str, nodes: Option<(u64, Option<u32>)>) -> SimInput {
    let mut cat = Catalog::load(&root().join("datasets")).unwrap();
    apply_overrides(&mut cat, sc, "t.toml").unwrap();
    let s = cat.shape(shape).unwrap().clone();
    let counts = nodes.map(|(n, c)| vastplan_models::sizing::counts_for(&s, n, c));
    let sized = sizing(&cat, sc, &s, counts, "t.toml").unwrap();
    sim_input(&cat, sc, &s, &sized, None, None, "t.toml").unwrap()
}

fn leaf_failure() -> SimInput {
    let sc = load_scenario(&root().join("datasets/scenarios/leaf-failure.toml")).unwrap();
    input_of(&sc, "vast-df3120-gen6", None)
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-300)
}

#[test]
fn leaf_failure_scenario_shows_both_incidents() {
    let inp = leaf_failure();
    let r = run(&inp);
    assert_eq!(r.incidents.len(), 2);
    let (leaf, slow) = (&r.incidents[0], &r.incidents[1]);
    assert_eq!(
        (leaf.kind.as_str(), slow.kind.as_str()),
        ("leaf", "degrade")
    );
    for i in [leaf, slow] {
        assert!(
            i.read_gbs_during < 0.95 * i.read_gbs_before,
            "{i:?} should cost reads"
        );
        assert!(i.recovered_after_s.is_some(), "{i:?} recovers");
        assert!(
            !i.data_unavailable,
            "a mirrored leaf pair keeps data reachable"
        );
        assert!(i.gpu_utilisation_during.unwrap() < r.gpu_utilisation.unwrap());
    }
    // Two racks; while the leaf of rack 1 is out, its binding utilisation differs from
    // rack 0's (its CNodes are held back by their halved NICs).
    assert_eq!(r.rack_labels, vec!["rack 0", "rack 1"]);
    let during = r
        .series
        .iter()
        .find(|p| p.time_s > 0.25 * 86_400.0 && p.time_s < 0.3 * 86_400.0)
        .unwrap();
    assert_eq!(during.rack_utilisation.len(), 2);
    assert!(
        (during.rack_utilisation[0] - during.rack_utilisation[1]).abs() > 0.05,
        "{:?}",
        during.rack_utilisation
    );
    // Before and long after: balanced, equal to the closed form.
    let first = &r.series[0];
    assert!(rel(first.read_gbs, r.closed_form_read_gbs) < 0.01);
    assert!(rel(r.series.last().unwrap().read_gbs, r.closed_form_read_gbs) < 0.01);
}

fn same(a: &SimResult, b: &SimResult) {
    assert!(
        rel(a.read_gbs_mean, b.read_gbs_mean) < 1e-9,
        "{} vs {}",
        a.read_gbs_mean,
        b.read_gbs_mean
    );
    assert!(rel(a.write_gbs_mean, b.write_gbs_mean) < 1e-9);
    assert!(
        rel(
            a.gpu_utilisation.unwrap_or(0.0),
            b.gpu_utilisation.unwrap_or(0.0)
        ) < 1e-9
    );
    assert_eq!(a.checkpoints, b.checkpoints);
    assert_eq!(a.rebuilds_completed, b.rebuilds_completed);
    for (x, y) in [
        (a.checkpoint_max_s, b.checkpoint_max_s),
        (a.rebuild_max_s, b.rebuild_max_s),
    ] {
        match (x, y) {
            (Some(x), Some(y)) => assert!(rel(x, y) < 1e-6, "{x} vs {y}"),
            (x, y) => assert_eq!(x, y),
        }
    }
    assert_eq!(a.incidents.len(), b.incidents.len());
    for (x, y) in a.incidents.iter().zip(&b.incidents) {
        assert!(
            rel(x.read_gbs_during, y.read_gbs_during) < 1e-9,
            "{x:?} vs {y:?}"
        );
        assert_eq!(x.data_unavailable, y.data_unavailable);
        assert_eq!(x.recovered_after_s.is_some(), y.recovered_after_s.is_some());
    }
    assert_eq!(a.series.len(), b.series.len());
    for (p, q) in a.series.iter().zip(&b.series) {
        assert!(
            rel(p.read_gbs, q.read_gbs) < 1e-9,
            "{} vs {} at {}",
            p.read_gbs,
            q.read_gbs,
            p.time_s
        );
        for (u, v) in p.rack_utilisation.iter().zip(&q.rack_utilisation) {
            assert!((u - v).abs() < 1e-9);
        }
    }
}

#[test]
fn reduced_run_equals_the_expanded_one() {
    // Disaggregated: the leaf-failure scenario (two racks, a leaf and a slow CNode).
    let inp = leaf_failure();
    let mut exp = inp.clone();
    exp.topology.expand = true;
    same(&run(&inp), &run(&exp));

    // Converged, several racks, checkpoints, a node outage, a degraded VM, a spine plane.
    let toml = r#"
name = "t"
description = "t"
seed = 5
candidates = ["L128aos_v5"]
[request]
logical_pb = 1
workload_class = "ai-training"
[clients]
gpu_vm = "ND96isr_H100_v5"
gpus = 160
workload = "unet3d-h100"
reading_fraction = 0.5
sessions_per_client = 8
[checkpoint]
model = "llama3-70b"
bytes_per_param = 14
interval_minutes = 20
mode = "sync"
jobs = 3
[network]
nodes_per_rack = 4
clients_per_rack = 3
[[incidents]]
day = 0.02
kind = "node"
target = 5
duration_hours = 1
[[incidents]]
day = 0.05
kind = "degrade"
target = 9
capacity_fraction = 0.3
duration_hours = 2
[[incidents]]
day = 0.1
kind = "spine"
target = 0
duration_hours = 1
[[incidents]]
day = 0.14
kind = "drive"
target = 3
[[incidents]]
day = 0.17
kind = "drive"
target = 11
[simulation]
days = 0.2
sample_interval_s = 300
"#;
    let sc = parse_scenario("t.toml", toml).unwrap();
    let inp = input_of(&sc, "L128aos_v5", Some((14, None)));
    let mut exp = inp.clone();
    exp.topology.expand = true;
    let (a, b) = (run(&inp), run(&exp));
    assert!(a.checkpoints > 0);
    assert_eq!(a.incidents.len(), 5);
    same(&a, &b);
}

#[test]
fn a_rack_lost_on_two_racks_makes_data_unavailable() {
    let mut inp = leaf_failure();
    inp.topology.incidents.truncate(1);
    inp.topology.incidents[0].kind = vastplan_models::simulate::IncidentKind::Rack;
    let r = run(&inp);
    let i = &r.incidents[0];
    assert!(i.data_unavailable, "{i:?}");
    assert!(i.read_gbs_during < 0.05 * i.read_gbs_before, "{i:?}");
    assert!(
        r.unavailable_hours > 1.9 && r.unavailable_hours < 2.1,
        "{}",
        r.unavailable_hours
    );
    // The same on one leaf of a single-leaf rack.
    let mut one = leaf_failure();
    one.topology.incidents.truncate(1);
    one.topology.leaves_per_rack = 1;
    assert!(run(&one).incidents[0].data_unavailable);
}

#[test]
fn incident_targets_out_of_range_are_input_errors() {
    let text = std::fs::read_to_string(root().join("datasets/scenarios/leaf-failure.toml"))
        .unwrap()
        .replace("target = 1\n", "target = 7\n");
    let sc = parse_scenario("lf.toml", &text).unwrap();
    let cat = Catalog::load(&root().join("datasets")).unwrap();
    let s = cat.shape("vast-df3120-gen6").unwrap().clone();
    let sized = sizing(&cat, &sc, &s, None, "lf.toml").unwrap();
    let e = sim_input(&cat, &sc, &s, &sized, None, None, "lf.toml").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("incidents.target"), "{e}");
    let bad = text.replace("kind = \"leaf\"", "kind = \"meteor\"");
    assert!(parse_scenario("lf.toml", &bad).is_err());
}

/// One job's synchronous llama3-70b checkpoints on 11 DBoxes and 8 CNodes (its 64 GPUs
/// read little), with the `[network]` section given.
fn checkpointing(network: &str) -> SimInput {
    let toml = format!(
        r#"
name = "t"
description = "t"
seed = 3
candidates = ["vast-df3120-gen6"]
[request]
logical_pb = 2
workload_class = "ai-training"
[clients]
gpu_vm = "ND96isr_H100_v5"
gpus = 512
workload = "resnet50-h100"
reading_fraction = 0.01
sessions_per_client = 8
[checkpoint]
model = "llama3-70b"
bytes_per_param = 14
interval_minutes = 30
mode = "sync"
jobs = 1
{network}
[simulation]
days = 0.1
sample_interval_s = 60
"#
    );
    let sc = parse_scenario("t.toml", &toml).unwrap();
    input_of(&sc, "vast-df3120-gen6", Some((11, Some(8))))
}

#[test]
fn skewed_connections_make_a_checkpoint_wait_on_the_hot_cnodes() {
    let even = run(&checkpointing(""));
    // 2 of 8 CNodes take half of every client's bytes: twice an even share each. The
    // CNode write budget, paid by the serving CNode alone, binds: the hot pair writes its
    // half in twice the even time while the cold six finish theirs in two thirds of it.
    let skewed = run(&checkpointing(
        "[network]\nhot_cnode_fraction = 0.25\nhot_connection_share = 0.5",
    ));
    let ratio = skewed.checkpoint_max_s.unwrap() / even.checkpoint_max_s.unwrap();
    assert!(rel(ratio, 2.0) < 0.01, "skewed/even checkpoint = {ratio}");
    // A share equal to the fraction is an even spread.
    let flat = run(&checkpointing(
        "[network]\nhot_cnode_fraction = 0.25\nhot_connection_share = 0.25",
    ));
    assert!(
        rel(
            flat.checkpoint_max_s.unwrap(),
            even.checkpoint_max_s.unwrap()
        ) < 1e-6
    );
}

#[test]
fn reduced_run_equals_the_expanded_one_under_skew() {
    let inp = checkpointing("[network]\nhot_cnode_fraction = 0.3\nhot_connection_share = 0.6");
    let mut exp = inp.clone();
    exp.topology.expand = true;
    let r = run(&inp);
    assert!(r.checkpoints > 0);
    same(&r, &run(&exp));
}

/// Eight L96s_v4 VMs asked for more reads and writes than they carry, joined by eight
/// more nodes on day 0.05: of the same shape, or (`shape` given) of another.
fn growing(shape: Option<&str>, incidents: &str) -> SimInput {
    let shape = shape.map_or(String::new(), |s| format!("shape = \"{s}\""));
    let toml = format!(
        r#"
name = "t"
description = "t"
seed = 9
candidates = ["L96s_v4"]
[request]
logical_pb = 0.1
workload_class = "hpc"
read_gbs = 400
write_gbs = 50
[network]
nodes_per_rack = 6
[[tranches]]
day = 0.05
label = "newer"
add_nodes = 8
{shape}
{incidents}
[simulation]
days = 0.2
sample_interval_s = 600
"#
    );
    let sc = parse_scenario("t.toml", &toml).unwrap();
    input_of(&sc, "L96s_v4", Some((8, None)))
}

/// Mean client reads from day 0.1 on, GB/s.
fn late_reads(r: &SimResult) -> f64 {
    let late: Vec<f64> = r
        .series
        .iter()
        .filter(|p| p.time_s >= 0.1 * 86_400.0)
        .map(|p| p.read_gbs)
        .collect();
    late.iter().sum::<f64>() / late.len() as f64
}

#[test]
fn a_generation_identical_to_the_candidate_is_the_plain_tranche() {
    let plain = growing(None, "");
    let mut twin = plain.clone();
    // The candidate's own shape, passed as if it were another generation: every
    // capacity, drive and data share through the generation's path instead.
    twin.tranches[0].generation = Some(vastplan_models::simulate::Generation {
        shape: "L96s_v4-twin".into(),
        spec: plain.spec.clone(),
        drives_per_node: plain.drives_per_node,
        raw_ratio: 1.0,
    });
    let (a, b) = (run(&plain), run(&twin));
    same(&a, &b);
    // The tranche doubled the cluster and so (about) its saturated reads.
    assert!(
        late_reads(&a) > 1.8 * a.series[0].read_gbs,
        "{}",
        late_reads(&a)
    );
}

#[test]
fn a_newer_generation_carries_more_and_reduces_exactly() {
    let plain = run(&growing(None, ""));
    let inp = growing(Some("L128aos_v5"), "");
    let g = inp.tranches[0].generation.as_ref().expect("another shape");
    // Lsv5's 92.2 TB of NVMe against Lsv4's 23.0: each new VM holds four times the data.
    assert!(rel(g.raw_ratio, 92.16 / 23.04) < 0.01, "{}", g.raw_ratio);
    let mixed = run(&inp);
    assert_eq!(
        mixed.tranches_applied,
        vec!["day 0.1: newer (8 x L128aos_v5)"]
    );
    // Before the tranche the two runs are the same cluster.
    assert!(rel(mixed.series[0].read_gbs, plain.series[0].read_gbs) < 1e-12);
    // After it, 150 Gbps VMs carry more than eight more 41 Gbps ones, but not the
    // 3.7 times their NICs alone would suggest: the striped bytes of the old VMs'
    // share of the data still leave through the old VMs' NICs.
    let (p, m) = (late_reads(&plain), late_reads(&mixed));
    assert!(m > 1.2 * p && m < 3.7 * p, "mixed {m} vs same-shape {p}");

    // The reduction stays exact with two generations, a node outage in each and a slow
    // new VM.
    let incidents = r#"
[[incidents]]
day = 0.08
kind = "node"
target = 2
duration_hours = 1
[[incidents]]
day = 0.09
kind = "node"
target = 12
duration_hours = 1
[[incidents]]
day = 0.12
kind = "degrade"
target = 10
capacity_fraction = 0.5
duration_hours = 1
"#;
    let inp = growing(Some("L128aos_v5"), incidents);
    let mut exp = inp.clone();
    exp.topology.expand = true;
    let (a, b) = (run(&inp), run(&exp));
    assert_eq!(a.incidents.len(), 3);
    same(&a, &b);
}

#[test]
fn a_tranche_shape_that_cannot_join_is_an_input_error() {
    let cat = Catalog::load(&root().join("datasets")).unwrap();
    for (shape, says) in [
        (
            "L96s_v9",
            "unknown shape id \"L96s_v9\"; did you mean L96s_v4?",
        ),
        ("vast-df3120-gen6", "same deployment kind"),
    ] {
        let text = format!(
            "name = \"t\"\ndescription = \"t\"\nseed = 1\ncandidates = [\"L96s_v4\"]\n[request]\nlogical_pb = 1\nworkload_class = \"hpc\"\nread_gbs = 10\n[[tranches]]\nday = 1\nlabel = \"x\"\nadd_nodes = 2\nshape = \"{shape}\"\n[simulation]\ndays = 2\nsample_interval_s = 3600\n"
        );
        let sc = parse_scenario("g.toml", &text).unwrap();
        let s = cat.shape("L96s_v4").unwrap().clone();
        let sized = sizing(&cat, &sc, &s, None, "g.toml").unwrap();
        let e = sim_input(&cat, &sc, &s, &sized, None, None, "g.toml").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("tranches.shape"), "{e}");
        assert_eq!(e.line, Some(13), "{e}");
        assert!(e.to_string().contains(says), "{e}");
    }
}

#[test]
fn a_failure_mid_checkpoint_keeps_the_bytes_already_written() {
    // Where the first checkpoint runs, undisturbed.
    let calm = run(&checkpointing(""));
    let first = calm.checkpoint_max_s.unwrap();
    let written = |r: &SimResult| r.series.iter().map(|p| p.write_gbs * 60.0).sum::<f64>();
    let per_checkpoint = written(&calm) / calm.checkpoints as f64;
    // A drive fails halfway through it: nothing else happens at that instant, so the
    // re-route must read each flow's progress at the failure, not at the last change.
    let day = (1800.0 + first / 2.0) / 86_400.0;
    let hit = run(&checkpointing(&format!(
        "[[incidents]]\nday = {day}\nkind = \"drive\"\ntarget = 4"
    )));
    assert_eq!(hit.checkpoints, calm.checkpoints);
    assert!(
        hit.checkpoint_max_s.unwrap() > first,
        "the rebuild slows it"
    );
    let per = written(&hit) / hit.checkpoints as f64;
    assert!(
        rel(per, per_checkpoint) < 1e-6,
        "{per} GB per checkpoint with the failure vs {per_checkpoint} without"
    );
}
/// 35 DBoxes behind 7 CNodes, one CNode per rack, a 24+4 stripe (the width narrowed so
/// that 7 racks at 4 strips each hold it), 256 GPUs reading; rack 2 loses power for two
/// hours. `layout` is the scenario's `[layout]` section, if any.
fn rack_power_loss(layout: &str) -> String {
    format!(
        r#"
name = "t"
description = "t"
seed = 7
candidates = ["vast-df3120-gen6"]
[request]
logical_pb = 2
workload_class = "ai-training"
[clients]
gpu_vm = "ND96isr_H100_v5"
gpus = 256
workload = "unet3d-h100"
reading_fraction = 0.25
sessions_per_client = 8
[network]
nodes_per_rack = 1
[overrides]
"assumptions.vast_max_stripe_width" = 28
[[incidents]]
day = 0.1
kind = "rack"
target = 2
duration_hours = 2
{layout}
[simulation]
days = 0.3
sample_interval_s = 300
"#
    )
}

fn rack_input(layout: &str) -> SimInput {
    let sc = parse_scenario("t.toml", &rack_power_loss(layout)).unwrap();
    input_of(&sc, "vast-df3120-gen6", Some((35, Some(7))))
}

#[test]
fn a_rack_layout_survives_a_rack_the_default_layout_does_not() {
    let default = rack_input("");
    assert_eq!(
        default.spec.protection.stripe_data + default.spec.protection.stripe_parity,
        28
    );
    let r = run(&default);
    let i = &r.incidents[0];
    // Rack 2 holds 5 DBoxes, up to 2 strips each under DBox-HA: more than 4 of some
    // stripes go with it.
    assert!(i.data_unavailable, "{i:?}");
    assert!(
        r.unavailable_hours > 1.9 && r.unavailable_hours < 2.1,
        "{}",
        r.unavailable_hours
    );
    // Absent, the limit is the parity: 4 strips per rack, 28 over 7 racks.
    for m in ["", "strips_per_domain = 4"] {
        let rack = run(&rack_input(&format!(
            "[layout]\nfailure_domain = \"rack\"\n{m}"
        )));
        let j = &rack.incidents[0];
        assert!(!j.data_unavailable, "{m}: {j:?}");
        assert_eq!(rack.unavailable_hours, 0.0, "{m}");
        // Readers no longer wait on unreachable stripes, only on the rack's lost capacity.
        assert!(
            j.read_gbs_during > i.read_gbs_during * 1.05,
            "{j:?} vs {i:?}"
        );
    }
    // The layout given explicitly as the default is the default, to the bit.
    let same = run(&rack_input(
        "[layout]\nfailure_domain = \"node\"\nstrips_per_domain = 2",
    ));
    assert_eq!(same.incidents[0].read_gbs_during, i.read_gbs_during);
    assert_eq!(same.unavailable_hours, r.unavailable_hours);
}

#[test]
fn layouts_the_cluster_cannot_keep_are_errors_at_their_line() {
    let cat = Catalog::load(&root().join("datasets")).unwrap();
    let s = cat.shape("vast-df3120-gen6").unwrap().clone();
    let resolve = |text: &str, cnodes: u32| {
        let sc = parse_scenario("r.toml", text)?;
        let mut cat = cat.clone();
        apply_overrides(&mut cat, &sc, "r.toml")?;
        let counts = vastplan_models::sizing::counts_for(&s, 35, Some(cnodes));
        let sized = sizing(&cat, &sc, &s, Some(counts), "r.toml")?;
        sim_input(&cat, &sc, &s, &sized, None, None, "r.toml")
    };
    let rack = rack_power_loss("[layout]\nfailure_domain = \"rack\"");
    let line = |text: &str, key: &str| {
        text.lines()
            .position(|l| l.trim_start().starts_with(key))
            .map(|i| i + 1)
    };
    assert!(resolve(&rack, 7).is_ok());
    // Six racks: fewer than VAST's rack resiliency takes.
    let e = resolve(&rack, 6).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("layout.failure_domain"), "{e}");
    assert_eq!(e.line, line(&rack, "failure_domain"), "{e}");
    assert!(e.message.contains("at least 7"), "{e}");
    // More strips per rack than the parity: a lost rack would lose data.
    let five = rack_power_loss("[layout]\nfailure_domain = \"rack\"\nstrips_per_domain = 5");
    let e = resolve(&five, 7).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("layout.strips_per_domain"), "{e}");
    assert_eq!(e.line, line(&five, "strips_per_domain"), "{e}");
    // Seven racks at 3 strips hold 21 strips: the 24+4 stripe does not fit.
    let three = rack_power_loss("[layout]\nfailure_domain = \"rack\"\nstrips_per_domain = 3");
    let e = resolve(&three, 7).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("layout.strips_per_domain"), "{e}");
    assert!(
        e.message.contains("24+4") && e.message.contains("= 21"),
        "{e}"
    );
    // The unnarrowed stripe (66+4 on 35 DBoxes) fits no 7 racks at the default 4.
    let wide = rack.replace("\"assumptions.vast_max_stripe_width\" = 28\n", "");
    let e = resolve(&wide, 7).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("layout.failure_domain"), "{e}");
    assert!(e.message.contains("66+4"), "{e}");
    // Refused at parse: a zero limit, an unknown domain, an unknown key.
    for (bad, key) in [
        (
            "failure_domain = \"node\"\nstrips_per_domain = 0",
            "layout.strips_per_domain",
        ),
        ("failure_domain = \"dbox\"", "layout.failure_domain"),
        ("failure_domain = \"rack\"\nstrips = 2", "layout.strips"),
    ] {
        let text = rack_power_loss(&format!("[layout]\n{bad}"));
        let e = parse_scenario("r.toml", &text).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(key), "{e}");
        assert!(e.line.is_some(), "{e}");
    }
}

#[test]
fn the_mixed_generations_scenario_is_bound_by_its_older_cnodes() {
    let sc = load_scenario(&root().join("datasets/scenarios/mixed-generations.toml")).unwrap();
    // The size `simulate` gives it: 14 DBoxes for capacity, 26 CNodes for the reads.
    let inp = input_of(&sc, "vast-df3015-gen5", Some((14, Some(26))));
    let (c0, s0) = (inp.compute_nodes as f64, inp.nodes as f64);
    let r = run(&inp);
    assert_eq!(r.tranches_applied.len(), 1);
    // Between the tranche and the incident: clients spread their streams evenly
    // over the 26 gen5 and 12 gen6 CNodes, so each gets 1/38 of the demand; a gen5 CNode
    // saturates at its 29 GB/s, a gen6 one serves its share (below its 37 GB/s).
    let p = r
        .series
        .iter()
        .filter(|p| p.time_s >= 10.5 * 86_400.0 && p.time_s < 12.0 * 86_400.0)
        .max_by(|a, b| a.read_gbs.total_cmp(&b.read_gbs))
        .unwrap();
    let new_cnodes = (6.0 * c0 / s0).ceil();
    let all = c0 + new_cnodes;
    let share = p.read_demand_gbs / all;
    let expect = c0 * share.min(29.0) + new_cnodes * share.min(37.0);
    // (An hour's sample includes one 21.5 s checkpoint, during which reads stop.)
    assert!(
        rel(p.read_gbs, expect) < 0.01,
        "{} GB/s against {expect}",
        p.read_gbs
    );
    assert!(p.read_gbs > 1.4 * r.series[0].read_gbs);
}

/// A small random cluster with random scripted incidents (and sometimes a tranche of
/// another generation), from a seed: the reduction must stay exact whatever happens.
fn random_case(seed: u64) -> (String, SimInput) {
    use rand::{Rng, SeedableRng};
    let mut g = rand::rngs::StdRng::seed_from_u64(seed);
    let disaggregated = g.random_bool(0.5);
    let (shape, newer) = if disaggregated {
        ("vast-df3015-gen5", "vast-df3120-gen6")
    } else {
        ("L96s_v4", "L128aos_v5")
    };
    let mut toml = format!(
        "name = \"r\"\ndescription = \"r\"\nseed = {seed}\ncandidates = [\"{shape}\"]\n\
         [request]\nlogical_pb = 0.5\nworkload_class = \"ai-training\"\n\
         [clients]\ngpu_vm = \"ND96isr_H100_v5\"\ngpus = {}\nworkload = \"unet3d-h100\"\n\
         reading_fraction = 0.5\nsessions_per_client = 8\n\
         [checkpoint]\nmodel = \"llama3-70b\"\nbytes_per_param = 14\ninterval_minutes = 15\n\
         mode = \"{}\"\njobs = 2\n[failures]\ndrive_afr = 20\nnode_loss_per_year = 0\n\
         [network]\nnodes_per_rack = {}\nclients_per_rack = 3\n",
        8 * g.random_range(4..24),
        if g.random_bool(0.5) { "sync" } else { "async" },
        g.random_range(2..5),
    );
    let storage = g.random_range(11..16u32);
    let compute = if disaggregated {
        Some(g.random_range(4..9u32))
    } else {
        None
    };
    let days = 0.15;
    if g.random_bool(0.6) {
        toml.push_str(&format!(
            "[[tranches]]\nday = {}\nlabel = \"t\"\nadd_nodes = {}\nadd_gpus = 16\n{}\n",
            g.random_range(0.0..days),
            g.random_range(1..5),
            if g.random_bool(0.6) {
                format!("shape = \"{newer}\"")
            } else {
                String::new()
            }
        ));
    }
    let racks = if disaggregated {
        compute.unwrap()
    } else {
        storage
    };
    for _ in 0..g.random_range(1..5) {
        let kinds = ["node", "degrade", "drive", "rack", "leaf", "spine"];
        let kind = kinds[g.random_range(0..kinds.len())];
        let target = match kind {
            "rack" | "leaf" => g.random_range(0..racks.div_ceil(4).max(1)),
            "spine" => 0,
            _ => g.random_range(0..storage),
        };
        toml.push_str(&format!(
            "[[incidents]]\nday = {}\nkind = \"{kind}\"\ntarget = {target}\n",
            g.random_range(0.0..days)
        ));
        if kind != "drive" {
            toml.push_str(&format!("duration_hours = {}\n", g.random_range(0.1..1.5)));
        }
        if kind == "degrade" {
            toml.push_str(&format!(
                "capacity_fraction = {}\n",
                g.random_range(0.1..0.9)
            ));
        }
    }
    toml.push_str(&format!(
        "[simulation]\ndays = {days}\nsample_interval_s = 120\n"
    ));
    let sc = parse_scenario("r.toml", &toml).unwrap_or_else(|e| panic!("{e}\n{toml}"));
    let inp = input_of(&sc, shape, Some((storage as u64, compute)));
    (toml, inp)
}

/// 40 cases by default; `TOPOLOGY_CASES=N` for a soak run (300 pass in 1.5 s, release).
#[test]
fn reduced_runs_equal_expanded_ones_on_random_clusters_and_incidents() {
    let seeds: u64 = std::env::var("TOPOLOGY_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    for seed in 0..seeds {
        let (toml, inp) = random_case(seed);
        let mut exp = inp.clone();
        exp.topology.expand = true;
        let (a, b) = (run(&inp), run(&exp));
        let same_run = std::panic::catch_unwind(|| same(&a, &b));
        assert!(same_run.is_ok(), "seed {seed} differs:\n{toml}");
    }
}

#[test]
fn a_tranche_that_unbalances_racks_under_a_rack_layout_is_refused() {
    // 35 DF-3015s under 7 CNodes, one CNode per rack (5 DBoxes a rack), 24+4 stripes laid
    // out 4 strips per rack; a tranche adds 7 DBoxes.
    let scenario = |shape: &str| {
        format!(
            "name = \"t\"\ndescription = \"t\"\nseed = 1\ncandidates = [\"vast-df3015-gen5\"]\n\
             [request]\nlogical_pb = 1\nworkload_class = \"hpc\"\nread_gbs = 50\n\
             [network]\nnodes_per_rack = 1\n\
             [layout]\nfailure_domain = \"rack\"\nstrips_per_domain = 4\n\
             [[tranches]]\nday = 1\nlabel = \"more\"\nadd_nodes = 7\n{shape}\n\
             [overrides]\n\"assumptions.vast_max_stripe_width\" = 28\n\
             [simulation]\ndays = 2\nsample_interval_s = 3600\n"
        )
    };
    let cat = Catalog::load(&root().join("datasets")).unwrap();
    let s = cat.shape("vast-df3015-gen5").unwrap().clone();
    let build = |text: &str| {
        let sc = parse_scenario("r.toml", text).unwrap();
        let mut cat = cat.clone();
        apply_overrides(&mut cat, &sc, "r.toml").unwrap();
        let counts = vastplan_models::sizing::counts_for(&s, 35, Some(7));
        let sized = sizing(&cat, &sc, &s, Some(counts), "r.toml").unwrap();
        sim_input(&cat, &sc, &s, &sized, None, None, "r.toml")
    };
    // The same boxes again: racks stay even.
    assert!(build(&scenario("")).is_ok());
    // DF-3120s (8x the raw) land in some racks only.
    let e = build(&scenario("shape = \"vast-df3120-gen6\"")).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("tranches.shape"), "{e}");
    assert_eq!(e.line, Some(18), "{e}");
    assert!(e.to_string().contains("at most 2x in capacity"), "{e}");
}
