//! The simulation against the closed form and against itself: steady throughput equals the
//! analytic ceiling, a synchronous checkpoint takes size / write ceiling, more nodes never
//! slow a checkpoint, and a run is a pure function of its inputs and seed.

use std::path::PathBuf;
use vastplan_models::netmodel::ceiling;
use vastplan_models::scenario::parse_scenario;
use vastplan_models::simulate::resolve::{sim_input, sizing};
use vastplan_models::simulate::{run, SimInput};
use vastplan_models::Catalog;

fn catalog() -> Catalog {
    Catalog::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../datasets")).unwrap()
}

fn input(toml: &str, shape: &str, nodes: Option<u64>) -> SimInput {
    let cat = catalog();
    let sc = parse_scenario("test.toml", toml).unwrap();
    let s = cat.shape(shape).unwrap().clone();
    let counts = nodes.map(|n| vastplan_models::sizing::counts_for(&s, n, None));
    let sized = sizing(&cat, &sc, &s, counts, "test.toml").unwrap();
    sim_input(&cat, &sc, &s, &sized, None, None, "test.toml").unwrap()
}

const HEAD: &str = r#"
name = "t"
description = "test"
seed = 11
candidates = ["L128aos_v5"]
[request]
logical_pb = 2
workload_class = "ai-training"
"#;

#[test]
fn steady_reads_match_the_closed_form_ceiling() {
    // 8,192 H100s reading unet3d want ~26 TB/s: far beyond the cluster, so the flow
    // network must deliver exactly the closed-form read ceiling.
    let toml = format!(
        "{HEAD}
[clients]
gpu_vm = \"ND96isr_H100_v5\"
gpus = 8192
workload = \"unet3d-h100\"
reading_fraction = 1.0
sessions_per_client = 8
[simulation]
days = 0.01
sample_interval_s = 60
"
    );
    for shape in [
        "L128aos_v5",
        "L96as_v5",
        "vast-df3120-gen6",
        "azstor-bf3-hyp",
        "blob-hdd-lrs",
    ] {
        let inp = input(&toml, shape, None);
        let pools = inp.spec.pools(
            inp.counts(),
            SimInput::client_vms(inp.gpus, inp.gpus_per_client_vm),
        );
        let want = ceiling(&pools, 1.0).read;
        let r = run(&inp);
        let got = r.read_gbs_mean * 1e9;
        assert!(
            (got - want).abs() / want < 0.01,
            "{shape}: simulated {got} vs closed form {want}"
        );
        assert!(
            r.headroom_exhausted_day.is_some(),
            "{shape}: demand exceeds supply"
        );
    }
}

#[test]
fn light_demand_is_met_in_full() {
    let toml = format!(
        "{HEAD}
[clients]
gpu_vm = \"ND96isr_H100_v5\"
gpus = 64
workload = \"resnet50-h100\"
reading_fraction = 1.0
sessions_per_client = 8
[simulation]
days = 0.01
sample_interval_s = 60
"
    );
    let r = run(&input(&toml, "L128aos_v5", None));
    assert!((r.read_gbs_mean - r.read_demand_gbs_mean).abs() / r.read_demand_gbs_mean < 1e-9);
    assert!((r.gpu_utilisation.unwrap() - 1.0).abs() < 1e-9);
    assert_eq!(r.headroom_exhausted_day, None);
}

fn checkpoint_toml(days: f64) -> String {
    format!(
        "{HEAD}
[clients]
gpu_vm = \"ND96isr_H100_v5\"
gpus = 512
workload = \"resnet50-h100\"
reading_fraction = 1.0
sessions_per_client = 8
[checkpoint]
model = \"llama3-70b\"
bytes_per_param = 14
interval_minutes = 30
mode = \"sync\"
jobs = 1
[simulation]
days = {days}
sample_interval_s = 60
"
    )
}

#[test]
fn a_synchronous_checkpoint_takes_size_over_the_write_ceiling() {
    // One job: while it checkpoints, nothing else runs, so the write gets the cluster's
    // whole write ceiling (with the job's client NICs in the pools).
    let inp = input(&checkpoint_toml(0.1), "L128aos_v5", None);
    let pools = inp.spec.pools(
        inp.counts(),
        SimInput::client_vms(inp.gpus, inp.gpus_per_client_vm),
    );
    let w = ceiling(&pools, 0.0).write;
    let size = inp.checkpoint.as_ref().unwrap().bytes_per_job;
    let r = run(&inp);
    assert!(r.checkpoints >= 3, "{} checkpoints in 2.4 h", r.checkpoints);
    let want = size / w;
    let got = r.checkpoint_max_s.unwrap();
    // Completion times round up to the nanosecond; the histogram keeps 1/128 resolution.
    assert!(
        (got - want).abs() / want < 0.01,
        "checkpoint {got} s vs {want} s"
    );
}

#[test]
fn more_nodes_never_make_a_checkpoint_slower() {
    let mut last = f64::INFINITY;
    for nodes in [8, 12, 16, 24, 32, 48] {
        let r = run(&input(&checkpoint_toml(0.05), "L128aos_v5", Some(nodes)));
        let t = r.checkpoint_max_s.unwrap();
        assert!(
            t <= last * (1.0 + 1e-9),
            "{nodes} nodes: {t} s after {last} s"
        );
        last = t;
    }
}

#[test]
fn same_seed_same_output_and_seeds_matter() {
    let toml = format!(
        "{HEAD}
[clients]
gpu_vm = \"ND96isr_H100_v5\"
gpus = 2048
workload = \"resnet50-h100\"
reading_fraction = 1.0
sessions_per_client = 8
[checkpoint]
model = \"llama3-70b\"
bytes_per_param = 14
interval_minutes = 20
mode = \"sync\"
jobs = 4
[interruptions]
gpu_mttf_hours = 5000
[failures]
drive_afr = 2.0
node_loss_per_year = 5.0
[simulation]
days = 2
sample_interval_s = 600
"
    );
    let inp = input(&toml, "L128aos_v5", None);
    let a = run(&inp);
    let b = run(&inp);
    let ja = serde_json::to_string(&(&a, &a.series)).unwrap();
    let jb = serde_json::to_string(&(&b, &b.series)).unwrap();
    assert_eq!(ja, jb);
    assert!(a.interruptions > 0 && a.drive_failures > 0, "{a:?}");
    assert!(a.rebuilds_completed > 0 && a.exposure_hours > 0.0);
    let mut other = inp.clone();
    other.seed += 1;
    let c = run(&other);
    assert_ne!(serde_json::to_string(&c).unwrap(), ja);
}

#[test]
fn rebuilds_slow_client_reads_and_a_cap_slows_the_rebuild() {
    let toml = |cap: &str| {
        format!(
            "{HEAD}
[clients]
gpu_vm = \"ND96isr_H100_v5\"
gpus = 8192
workload = \"unet3d-h100\"
reading_fraction = 1.0
sessions_per_client = 8
[failures]
drive_afr = 20.0
node_loss_per_year = 0.0
{cap}
[simulation]
days = 1
sample_interval_s = 600
"
        )
    };
    let free = run(&input(&toml(""), "L128aos_v5", None));
    let capped = run(&input(&toml("rebuild_cap_gbs = 0.5"), "L128aos_v5", None));
    assert!(free.rebuilds_completed > 0);
    let degraded = free.degraded_read_gbs.unwrap();
    assert!(
        degraded < free.closed_form_read_gbs,
        "{degraded} vs {}",
        free.closed_form_read_gbs
    );
    assert!(capped.rebuild_mean_s.unwrap() > free.rebuild_mean_s.unwrap());
}

#[test]
fn a_starved_cluster_shows_low_gpu_utilisation_even_for_gpus_not_reading() {
    // Half the GPUs read at any time; the cluster delivers a small share of the demand.
    // Every GPU of a job that waits on storage waits, reading or not, so utilisation falls
    // to about delivered/demanded, not to 0.5 + 0.5 x that.
    let toml = format!(
        "{HEAD}
[clients]
gpu_vm = \"ND96isr_H100_v5\"
gpus = 8192
workload = \"unet3d-h100\"
reading_fraction = 0.5
sessions_per_client = 8
[simulation]
days = 0.01
sample_interval_s = 60
"
    );
    let inp = input(&toml, "L128aos_v5", Some(8));
    let r = run(&inp);
    let share = r.read_gbs_mean / r.read_demand_gbs_mean;
    assert!(
        share < 0.1,
        "the cluster must be starved for this test: {share}"
    );
    let u = r.gpu_utilisation.unwrap();
    assert!(
        (u - share).abs() < 0.02,
        "utilisation {u} vs delivered share {share}"
    );
    assert!(u < 0.5, "non-reading GPUs must not count as busy: {u}");
}

#[test]
fn a_stated_steady_demand_gets_the_closed_form_ceiling_and_its_mix() {
    // No GPU clients: a stated HPC demand. Far beyond the cluster, reads alone must get
    // exactly the closed-form read ceiling (the streams must not be started twice).
    for shape in ["L128aos_v5", "vast-df3120-gen6"] {
        let toml = format!(
            "{HEAD}
read_gbs = 100000
[simulation]
days = 0.01
sample_interval_s = 60
"
        );
        let inp = input(&toml, shape, None);
        let r = run(&inp);
        let want = r.closed_form_read_gbs;
        assert!(
            (r.read_gbs_mean - want).abs() <= want * 0.01,
            "{shape}: {} vs closed form {want}",
            r.read_gbs_mean
        );
    }
}

#[test]
fn memory_follows_the_flows_alive_not_the_flows_ever_started() {
    // A checkpoint every 30 minutes starts flows all run long; the solver's slots must
    // stay at what is alive at once, so a run ten times longer holds no more of them.
    let short = run(&input(&checkpoint_toml(2.0), "L128aos_v5", None));
    let long = run(&input(&checkpoint_toml(20.0), "L128aos_v5", None));
    assert!(
        long.solver_flows_started > 8 * short.solver_flows_started,
        "{} vs {} flows started",
        long.solver_flows_started,
        short.solver_flows_started
    );
    assert!(long.solver_flow_slots_peak > 0);
    assert_eq!(long.solver_flow_slots_peak, short.solver_flow_slots_peak);
}
