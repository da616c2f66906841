//! Every override counts: for every overridable number in the catalog (every shape's
//! parameters and every global assumption), an override either changes an answer the
//! tool gives where that number is used, or is refused. A number no model reads would be
//! silent data loss, so this walks them all.

use vastplan::validation;
use vastplan_models::durability::candidate::{candidate, nines_of, Overrides};
use vastplan_models::durability::evaluate;
use vastplan_models::netcheck::{netcheck, NetcheckInput};
use vastplan_models::netmodel::NetOptions;
use vastplan_models::plan::{plan_candidate, PlanOptions};
use vastplan_models::scenario::parse_scenario;
use vastplan_models::sizing::min_counts;
use vastplan_models::{Catalog, Confidence, Param};

/// One shape of each kind and packaging: the battery runs on these.
const SHAPES: [&str; 7] = [
    "L128aos_v5",
    "L96s_v4",
    "vast-df3120-gen6",
    "vast-ebox-est",
    "azstor-bf3-hyp",
    "blob-hdd-lrs",
    "blob-premium-lrs",
];

/// Two requests that exercise every path: GPU clients with synchronous checkpoints, and
/// a stated HPC demand over TCP with reserved VMs and a price target.
fn scenarios(shape: &str) -> Vec<String> {
    let mut v = vec![
        format!(
            r#"
name = "gpu"
description = "t"
seed = 1
candidates = ["{shape}"]
[request]
logical_pb = 40
workload_class = "ai-training"
[clients]
gpu_vm = "ND96isr_H100_v5"
gpus = 512
workload = "resnet50-h100"
reading_fraction = 1.0
sessions_per_client = 8
[checkpoint]
model = "llama3-70b"
bytes_per_param = 14
interval_minutes = 30
mode = "sync"
target_seconds = 60
jobs = 2
[failures]
drive_afr = 0.02
node_loss_per_year = 0.5
"#
        ),
        format!(
            r#"
name = "hpc"
description = "t"
seed = 1
candidates = ["{shape}"]
[request]
logical_pb = 1000
workload_class = "hpc"
read_gbs = 2000
write_gbs = 500
max_usd_per_gbs_month = 400
[network]
transport = "tcp"
oversubscription = 2.0
[cost]
vm_pricing = "reserved-3y"
"#
        ),
    ];
    // Every workload class, so each data-reduction assumption is read where it is used.
    for class in ["backup", "enterprise", "genomics", "video"] {
        v.push(format!(
            "name = \"{class}\"\ndescription = \"t\"\nseed = 1\ncandidates = [\"{shape}\"]\n[request]\nlogical_pb = 100\nworkload_class = \"{class}\"\n"
        ));
    }
    v
}

/// Everything the closed form answers for `shapes`, as text: plans (sizing, bandwidth,
/// cost, verdicts, nines), the durability chain and the network check.
fn answers(cat: &Catalog, shapes: &[&str]) -> String {
    let mut out = String::new();
    for id in shapes {
        let shape = cat.shape(id).unwrap();
        for text in scenarios(id) {
            let sc = parse_scenario("t.toml", &text).unwrap();
            let o = PlanOptions {
                simulate: false,
                days: None,
                seed: None,
                max_growth_steps: 0,
            };
            match plan_candidate(cat, &sc, shape, &o, "t.toml", &mut |_| {}) {
                Ok(p) => out.push_str(&format!("{:?}", serde_json::to_value(&p).unwrap())),
                Err(e) => out.push_str(&format!("error {e}")),
            }
        }
        let counts = min_counts(shape, 40);
        match candidate(cat, shape, counts, &Overrides::default()) {
            Ok(c) => out.push_str(&format!("{:?}", evaluate(&c.input).map(|o| o.nines))),
            Err(e) => out.push_str(&format!("error {e}")),
        }
        out.push_str(&format!(
            "{:?}",
            nines_of(cat, shape, counts, &Overrides::default()).map(|n| n.nines)
        ));
        let inp = NetcheckInput {
            nodes: 16,
            compute_nodes: None,
            drr: Param::new(1.2, "t", Confidence::Derived),
            opts: NetOptions {
                client_vm: Some("ND96isr_H100_v5".into()),
                ..NetOptions::default()
            },
            client_vms: 64,
            sessions_per_client: 4000,
            read: Some(500e9),
            write: Some(100e9),
        };
        match netcheck(cat, shape, &inp) {
            Ok(n) => out.push_str(&format!("{:?}", serde_json::to_value(&n).unwrap())),
            Err(e) => out.push_str(&format!("error {e}")),
        }
    }
    out
}

/// Values to try instead of `v`: one of them moves any threshold a model applies.
fn tries(v: f64) -> [f64; 5] {
    [
        v * 0.5 + 0.25,
        v * 2.0 + 1.0,
        v * 0.01,
        v * 10.0 + 10.0,
        v * 1000.0 + 1000.0,
    ]
}

/// Whether some override of `id.field` changes `answer`, or every one is refused.
/// `before` is `answer(base)`.
fn counts_or_refused(
    base: &Catalog,
    before: &str,
    id: &str,
    field: &str,
    answer: &dyn Fn(&Catalog) -> String,
) -> bool {
    let v = if id == "assumptions" {
        base.assumptions[field].value
    } else {
        base.shape(id).unwrap().params[field].value
    };
    let mut refused = 0;
    for t in tries(v) {
        let mut c = base.clone();
        match c.apply_override(id, field, t) {
            Err(_) => refused += 1,
            Ok(()) => {
                if answer(&c) != before {
                    return true;
                }
            }
        }
    }
    refused == tries(v).len()
}

#[test]
fn every_shape_parameter_changes_an_answer_or_is_refused() {
    let cat = Catalog::load(&std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets"
    )))
    .unwrap();
    let mut silent = Vec::new();
    for s in &cat.shapes {
        let id = s.id.clone();
        let answer = |c: &Catalog| answers(c, &[id.as_str()]);
        let before = answer(&cat);
        for field in s.params.keys() {
            if !counts_or_refused(&cat, &before, &s.id, field, &answer) {
                silent.push(format!("{}.{field}", s.id));
            }
        }
        // Descriptive numbers are refused, with a message that says why.
        for field in s.info.keys() {
            let e = cat.clone().apply_override(&s.id, field, 1.0).unwrap_err();
            assert!(e.to_string().contains("no model reads it"), "{e}");
        }
    }
    assert!(
        silent.is_empty(),
        "overrides that change nothing: {silent:?}"
    );
}

#[test]
fn every_assumption_changes_an_answer_or_is_refused() {
    let cat = Catalog::load(&std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets"
    )))
    .unwrap();
    let battery = |c: &Catalog| answers(c, &SHAPES);
    // The published-figure checks read a few assumptions of their own.
    let with_validation = |c: &Catalog| {
        let rows = validation::rows(c).map(|r| validation::markdown(&r));
        format!("{}{rows:?}", answers(c, &SHAPES[..1]))
    };
    let (before, before_v) = (battery(&cat), with_validation(&cat));
    let mut silent = Vec::new();
    for name in cat.assumptions.keys() {
        if !counts_or_refused(&cat, &before, "assumptions", name, &battery)
            && !counts_or_refused(&cat, &before_v, "assumptions", name, &with_validation)
        {
            silent.push(name.clone());
        }
    }
    assert!(
        silent.is_empty(),
        "assumptions whose override changes nothing: {silent:?}"
    );
    // And a name no model knows is refused.
    assert!(cat
        .clone()
        .apply_override("assumptions", "no_such_thing", 1.0)
        .is_err());
}
