//! The proposal page of `vastplan plan`, in the order a customer reads it: the decision
//! and what it rests on, the request as understood, the targets, the candidates side by
//! side (every column defined), then cost, footprint, the bill of materials, bandwidth,
//! behaviour under load, what the answer hangs on, and every assumption with its source.

use std::collections::BTreeMap;

use super::format::{
    fmt_bytes, fmt_bytes_per_s, fmt_pct, fmt_sig, fmt_thousands, fmt_usd, fmt_usd_short,
};
use super::{
    Align, Axis, HBarChart, HBarPanel, HBarRow, LineChart, Page, Panel, RefLine, Series,
    SmallMultiples, Table, TornadoBar, TornadoChart, Unit,
};
use vastplan_models::catalog::DeploymentKind;
use vastplan_models::plan::{CandidatePlan, Targets};
use vastplan_models::provenance::Confidence;
use vastplan_models::ratio::RatioRow;
use vastplan_models::scenario::Scenario;
use vastplan_models::sensitivity::Sensitivity;

/// What a plan decided and what it hung on, for the top of the page.
pub struct Decision<'a> {
    pub text: &'a str,
    pub sensitivity: Option<&'a Sensitivity>,
}

/// A candidate as charts name it: the shape and its device counts.
fn label(p: &CandidatePlan) -> String {
    format!("{} · {}", p.shape, devices(p))
}

/// Device counts in the words of the deployment kind.
fn devices(p: &CandidatePlan) -> String {
    let n = p.nodes;
    let s = |k: u64, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    match p.kind {
        DeploymentKind::VastOwnHardware if p.compute_nodes != p.nodes => format!(
            "{} + {}",
            s(n, "DBox", "DBoxes"),
            s(p.compute_nodes, "CNode", "CNodes")
        ),
        DeploymentKind::VastOwnHardware => s(n, "EBox", "EBoxes"),
        DeploymentKind::VastEboxCloudVm => s(n, "VM", "VMs"),
        DeploymentKind::VastBareMetalDpu => s(n, "server", "servers"),
        DeploymentKind::AzureBlob => format!("~{} storage nodes (est.)", n),
    }
}

fn kind_words(k: DeploymentKind) -> &'static str {
    match k {
        DeploymentKind::VastOwnHardware => "VAST hardware, owned",
        DeploymentKind::VastEboxCloudVm => "VAST on rented VMs",
        DeploymentKind::VastBareMetalDpu => "VAST bare metal, DPU",
        DeploymentKind::AzureBlob => "Azure Blob service",
    }
}

fn kind_short(k: DeploymentKind) -> &'static str {
    match k {
        DeploymentKind::VastOwnHardware => "owned",
        DeploymentKind::VastEboxCloudVm => "rented",
        DeploymentKind::VastBareMetalDpu => "bare metal",
        DeploymentKind::AzureBlob => "service",
    }
}

/// Owned rows carry capex (amortised into their monthly cost); rented ones do not.
fn owned(p: &CandidatePlan) -> bool {
    p.sizing.capex_usd > 0.0
}

/// A dotted input name ("L160iaos_v5.price_usd_per_hour") with a break opportunity
/// after each dot, so a narrow column wraps it there rather than widening the table.
fn breakable(name: &str) -> String {
    name.replace('.', ".\u{200B}")
}

/// Joins each number to the word after it with a no-break space.
fn keep_counts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev = ' ';
    for c in text.chars() {
        out.push(if c == ' ' && prev.is_ascii_digit() {
            '\u{a0}'
        } else {
            c
        });
        prev = c;
    }
    out
}

/// An input's value: up to four significant digits, no trailing zeros.
fn value(v: f64) -> String {
    let s = fmt_sig(v, 4);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Nines of annual durability with what they mean: "1.4 nines (4 % a year)".
fn nines_cell(n: f64) -> String {
    let loss = 10f64.powf(-n) * 100.0;
    if n < 6.0 {
        format!("{n:.1} nines ({} %/y loss)", fmt_sig(loss, 2))
    } else {
        format!("{n:.1} nines")
    }
}

fn verdict(p: &CandidatePlan) -> String {
    if p.met {
        if p.hypothetical {
            "meets all targets (rests on a hypothetical input)".into()
        } else {
            "meets all targets".into()
        }
    } else {
        format!("misses {}", p.missed.join(", "))
    }
}

fn ranked(plans: &[CandidatePlan]) -> Vec<&CandidatePlan> {
    let mut v: Vec<&CandidatePlan> = plans.iter().collect();
    // Ranked rows first, in rank order; the rest by cost.
    v.sort_by(|a, b| match (a.rank, b.rank) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.sizing.usd_per_month.total_cmp(&b.sizing.usd_per_month),
    });
    v
}

/// A candidate's bar row: named by its shape, its device counts below.
fn candidate_row(p: &CandidatePlan, values: Vec<f64>, end_label: Option<String>) -> HBarRow {
    HBarRow {
        label: p.shape.clone(),
        sublabel: devices(p),
        values,
        end_label,
    }
}

/// Builds the report page.
pub fn plan_page(
    sc: &Scenario,
    file: &str,
    seed: u64,
    t: &Targets,
    plans: &[CandidatePlan],
    ratio: Option<(&str, &[RatioRow])>,
    decision: &Decision,
) -> Page {
    let mut page = Page::new(format!("Storage proposal: {}", sc.name));
    page.subtitle(sc.description.clone());
    page.meta("Scenario", file).meta("Seed", seed.to_string());
    let simulated = plans
        .iter()
        .filter_map(|p| p.sim.as_ref())
        .map(|s| s.simulated_s / 86_400.0)
        .fold(None, |a: Option<f64>, d| Some(a.map_or(d, |a| a.max(d))));
    page.meta(
        "Simulated",
        match simulated {
            Some(d) => format!(
                "{} day{} of the scenario's load per candidate",
                value(d),
                if d == 1.0 { "" } else { "s" }
            ),
            None => "no (closed-form sizing only)".into(),
        },
    );
    let src = page.note("Every figure rests on datasets/*.csv (each row with a source and a confidence) and the scenario's named assumptions; the assumptions section lists each input with its source.");

    decision_section(&mut page, t, plans, decision);
    let drr_used = plans
        .iter()
        .find(|p| p.kind.is_vast())
        .map(|p| p.sizing.drr);
    request_section(&mut page, sc, drr_used);
    page.section("Targets")
        .paragraph(
            "Each candidate is judged against these; a row that misses one is not recommended.",
        )
        .list(t.stated.iter().cloned());
    candidates_section(&mut page, plans, &src);
    cost_section(&mut page, plans);
    bom_section(&mut page, plans);
    bandwidth_section(&mut page, t, plans);
    under_load_section(&mut page, t, plans);
    let sims: Vec<(String, &vastplan_models::simulate::SimResult)> = ranked(plans)
        .into_iter()
        .filter_map(|p| p.sim.as_ref().map(|s| (label(p), s)))
        .collect();
    super::topology_report::incidents_section(&mut page, &sims);
    if let Some((shape, rows)) = ratio {
        ratio_section(&mut page, shape, rows);
    }
    if let Some(sens) = decision.sensitivity {
        sensitivity_section(&mut page, sens);
    }
    assumptions_section(&mut page, plans);
    page
}

fn decision_section(page: &mut Page, t: &Targets, plans: &[CandidatePlan], decision: &Decision) {
    page.section("Decision");
    let best = plans
        .iter()
        .find(|p| p.rank == Some(1) && p.met && !p.hypothetical);
    let mut lines = Vec::new();
    let lead = match best {
        Some(b) => format!(
            "Recommended: {}, {} ({}), at {} a month ({} over five years) in {} racks drawing {:.0} kW. It is the cheapest candidate that meets every target and rests on no hypothetical input.",
            b.shape,
            devices(b),
            kind_words(b.kind),
            fmt_usd_short(b.sizing.usd_per_month),
            fmt_usd_short(b.sizing.tco_5y_usd),
            b.sizing.racks,
            b.sizing.kw_facility
        ),
        None => decision.text.to_string(),
    };
    if let Some(b) = best {
        let mut perf = format!(
            "Reads up to {} against {} demanded (bound by {})",
            fmt_bytes_per_s(b.read_ceiling_bps),
            fmt_bytes_per_s(t.read_bps),
            b.binding
        );
        if let Some(s) = &b.sim {
            if let Some(u) = s.gpu_utilisation {
                perf.push_str(&format!("; GPUs {} busy in simulation", fmt_pct(u, 1)));
            }
            if let Some(c) = s.checkpoint_p99_s {
                perf.push_str(&format!("; checkpoint p99 {c:.0} s"));
            }
        }
        if let Some(n) = b.nines {
            perf.push_str(&format!("; durability {}", nines_cell(n)));
        }
        perf.push('.');
        lines.push(perf);
        let cheaper: Vec<&CandidatePlan> = plans
            .iter()
            .filter(|p| p.sizing.usd_per_month < b.sizing.usd_per_month && p.rank != Some(1))
            .collect();
        if !cheaper.is_empty() {
            lines.push(format!(
                "Cheaper but not chosen: {}.",
                cheaper
                    .iter()
                    .map(|p| format!(
                        "{} ({}, {})",
                        p.shape,
                        fmt_usd_short(p.sizing.usd_per_month),
                        if p.met && p.hypothetical {
                            "rests on a hypothetical input".to_string()
                        } else {
                            verdict(p)
                        }
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        let weakest: Vec<String> = b
            .sizing
            .inputs
            .iter()
            .filter(|i| i.confidence <= Confidence::Estimate)
            .take(4)
            .map(|i| format!("{} = {} ({})", i.name, value(i.value), i.confidence))
            .collect();
        if !weakest.is_empty() {
            lines.push(format!(
                "It rests most on these least-confident inputs (sources under Assumptions and sources): {}.",
                weakest.join("; ")
            ));
        }
    }
    if let Some(sens) = decision.sensitivity {
        let flips: Vec<&str> = sens
            .swings
            .iter()
            .filter(|s| s.changes_recommendation)
            .map(|s| s.input.as_str())
            .collect();
        lines.push(if flips.is_empty() {
            "No input moved over its confidence range changes the recommendation.".to_string()
        } else {
            format!(
                "The recommendation changes if any of these moves within its range: {} (see What the answer hangs on).",
                flips.join(", ")
            )
        });
    }
    page.callout(lead, lines);
}

fn request_section(page: &mut Page, sc: &Scenario, drr_used: Option<f64>) {
    page.section("The request");
    let r = &sc.request;
    let mut d: Vec<(String, String)> = Vec::new();
    d.push((
        "Capacity".into(),
        format!(
            "{} PB logical, {} data; data reduction {}",
            r.logical_pb,
            r.workload_class,
            match (r.drr, drr_used) {
                (Some(x), _) => format!("{x}:1 (stated)"),
                (None, Some(x)) => format!("{}:1 (the catalog's figure for this class)", value(x)),
                (None, None) => "from the catalog for this class".into(),
            }
        ),
    ));
    if let Some(c) = &sc.clients {
        d.push((
            "GPU fleet".into(),
            format!(
                "{} GPUs on {} VMs, {} workload, {} of them reading, {} sessions per client",
                fmt_thousands(c.gpus as i64),
                c.gpu_vm,
                c.workload,
                fmt_pct(c.reading_fraction, 0),
                c.sessions_per_client
            ),
        ));
    }
    if let Some(rd) = r.read_gbs {
        d.push(("Read stated".into(), format!("{rd} GB/s")));
    }
    if let Some(w) = r.write_gbs {
        d.push(("Write stated".into(), format!("{w} GB/s")));
    }
    if let Some(c) = &sc.checkpoint {
        d.push((
            "Checkpoints".into(),
            format!(
                "{} job{} of {} at {} B/parameter, every {} min, {}{}",
                c.jobs,
                if c.jobs == 1 { "" } else { "s" },
                c.model,
                c.bytes_per_param,
                c.interval_minutes,
                match c.mode {
                    vastplan_models::scenario::CheckpointMode::Sync => "synchronous (GPUs wait)",
                    vastplan_models::scenario::CheckpointMode::Async => "asynchronous",
                },
                c.target_seconds
                    .map_or(String::new(), |t| format!(", within {t} s"))
            ),
        ));
    }
    if let Some(i) = &sc.inference {
        d.push((
            "Inference".into(),
            format!(
                "{}: {} offloaded tokens/s, {} reads per token",
                i.model, i.offloaded_tokens_per_s, i.reads_per_token
            ),
        ));
    }
    if let Some(i) = &sc.interruptions {
        d.push((
            "GPU interruptions".into(),
            format!("one per GPU every {} h (MTTF)", i.gpu_mttf_hours),
        ));
    }
    if let Some(f) = &sc.failures {
        let mut s = format!(
            "drive AFR {}; node losses {} a year",
            fmt_pct(f.drive_afr, 1),
            f.node_loss_per_year
        );
        if let Some(cap) = f.rebuild_cap_gbs {
            s.push_str(&format!("; rebuilds capped at {cap} GB/s"));
        }
        if let Some(n) = f.rebuild_streams {
            s.push_str(&format!(", {n} streams"));
        }
        d.push(("Failure rates".into(), s));
    }
    for tr in &sc.tranches {
        d.push((
            format!("Day {}", tr.day),
            match &tr.shape {
                Some(id) => format!(
                    "{}: +{} nodes of {id}, +{} GPUs",
                    tr.label, tr.add_nodes, tr.add_gpus
                ),
                None => format!(
                    "{}: +{} nodes, +{} GPUs",
                    tr.label, tr.add_nodes, tr.add_gpus
                ),
            },
        ));
    }
    if let Some(n) = &sc.network {
        let mut parts = Vec::new();
        if let Some(o) = n.oversubscription {
            parts.push(format!("oversubscription {o}:1"));
        }
        if let Some(x) = n.nodes_per_rack {
            parts.push(format!("{x} nodes per rack"));
        }
        if let Some(x) = n.clients_per_rack {
            parts.push(format!("{x} clients per rack"));
        }
        if let Some(x) = &n.transport {
            parts.push(format!("transport {x:?}"));
        }
        if !parts.is_empty() {
            d.push(("Network".into(), parts.join(", ")));
        }
    }
    if let Some(c) = &sc.cost {
        d.push(("VM pricing".into(), c.vm_pricing.as_str().to_string()));
    }
    if let Some(s) = &sc.simulation {
        d.push((
            "Simulation".into(),
            format!(
                "{} days by default, sampled every {} s",
                s.days, s.sample_interval_s
            ),
        ));
    }
    if !sc.overrides.is_empty() {
        d.push((
            "Overrides".into(),
            sc.overrides
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    d.push(("Candidates".into(), sc.candidates.join(", ")));
    page.defs(d);
}

const GLOSSARY: [(&str, &str); 13] = [
    ("Rank", "Order of preference: rows that meet every target first, then those resting on a hypothetical input, then those missing the fewest targets; cost breaks ties. Rank 1 is recommended when it meets every target and rests on no hypothetical input."),
    ("Candidate", "The shape (catalog id) as planned."),
    ("Devices", "What kind of deployment it is and how many devices it takes: DBoxes (storage enclosures) and CNodes (protocol servers) for VAST's own disaggregated hardware; EBoxes, VMs or servers otherwise."),
    ("Racks", "Racks the owned or rented devices fill: the larger of the space bound and the power bound per rack."),
    ("kW", "Average draw of the devices times the facility's PUE."),
    ("$/month", "The whole monthly cost: hardware (capex amortised, or the VM or Blob price), software (VAST subscription), facility (colocation and energy), network (switches, or Blob transactions and egress) and support."),
    ("Read ceiling", "The client read throughput the cluster as planned can deliver, in closed form."),
    ("Binds", "The resource that sets the read ceiling."),
    ("Ckpt p99", "99th percentile of the time a synchronous checkpoint takes in the simulation, GPUs waiting; \"-\": not simulated or no checkpoints."),
    ("GPU util", "Mean share of the simulated period the GPUs compute rather than wait for storage, checkpoints, restores or rebuilds."),
    ("Durability", "Nines of annual durability: n nines means a 1-in-10ⁿ chance of losing data in a year, so 1.4 nines is a 4 % chance a year and 9 nines one in a billion. The basis of each row is in the durability table below."),
    ("Verdict", "Whether the row meets every target, or which it misses."),
    ("Least-confident input", "The input of lowest confidence the row rests on, with its confidence class (user, hypothetical, estimate, vendor-tool, derived, published)."),
];

fn candidates_section(page: &mut Page, plans: &[CandidatePlan], src: &str) {
    let mut table = Table::new([
        "Rank",
        "Candidate",
        "Devices",
        "Racks",
        "kW",
        "$/month",
        "Read ceiling",
        "Binds",
        "Ckpt p99",
        "GPU util",
        "Durability",
        "Verdict",
        "Least-confident input",
    ]);
    for p in ranked(plans) {
        let s = p.sim.as_ref();
        table.row([
            p.rank.map_or("-".into(), |r| r.to_string()),
            p.shape.clone(),
            // A count stays on the line of its unit ("17 DBoxes"), so a narrow column
            // wraps between devices, not between a number and what it counts.
            keep_counts(&format!("{}, {}", devices(p), kind_short(p.kind))),
            p.sizing.racks.to_string(),
            fmt_thousands(p.sizing.kw_facility.round() as i64),
            fmt_usd_short(p.sizing.usd_per_month),
            fmt_bytes_per_s(p.read_ceiling_bps),
            p.binding.clone(),
            s.and_then(|s| s.checkpoint_p99_s)
                .map_or("-".into(), |v| format!("{v:.1} s")),
            s.and_then(|s| s.gpu_utilisation)
                .map_or("-".into(), |u| fmt_pct(u, 1)),
            p.nines.map_or("-".into(), nines_cell),
            verdict(p),
            format!("{} ({})", breakable(&p.least_confident), p.least_confidence),
        ]);
    }
    // Text columns whose cells start with a digit would be taken for numbers and kept on
    // one line; they wrap instead.
    table.align(2, Align::Left).align(10, Align::Left);
    page.section("Candidates side by side")
        .paragraph(format!("Each candidate is sized for capacity and for bandwidth (the larger wins), simulated under the scenario's load, and grown when it misses a target {src}. Rows in rank order; the columns are defined under the table."))
        .table(table);
    for p in plans.iter().filter(|p| !p.met || p.growth_steps > 0) {
        let why = p.why_not.clone().unwrap_or_else(|| {
            format!("grown {} times by 25 % to meet its targets", p.growth_steps)
        });
        page.paragraph(format!("{}: {why}.", p.shape));
    }
    page.subsection("What the columns mean").defs(GLOSSARY);
    let mut dt = Table::new(["Candidate", "Durability", "Basis"]);
    for p in ranked(plans) {
        dt.row([
            p.shape.clone(),
            p.nines.map_or("-".into(), nines_cell),
            p.durability_basis.clone(),
        ]);
    }
    page.subsection("Durability and its basis").table(dt);
}

fn cost_section(page: &mut Page, plans: &[CandidatePlan]) {
    page.section("Cost");
    let parts: Vec<String> = vastplan_models::cost::MonthlyCost::default()
        .parts()
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    let row = |p: &CandidatePlan| {
        candidate_row(
            p,
            p.sizing.cost.parts().iter().map(|(_, v)| *v).collect(),
            Some(fmt_usd_short(p.sizing.usd_per_month)),
        )
    };
    let mut by_cost: Vec<&CandidatePlan> = plans.iter().collect();
    by_cost.sort_by(|a, b| a.sizing.usd_per_month.total_cmp(&b.sizing.usd_per_month));
    let mut chart = HBarChart::new(
        "Monthly cost by part",
        Axis::new("Cost per month", Unit::Usd),
        parts,
    );
    chart.stacked = true;
    let (own, rent): (Vec<&CandidatePlan>, Vec<&CandidatePlan>) =
        by_cost.into_iter().partition(|p| owned(p));
    if !own.is_empty() {
        chart.panels.push(HBarPanel {
            title: "Owned: capex amortised, plus software, facility, network and support".into(),
            rows: own.iter().map(|p| row(p)).collect(),
        });
    }
    if !rent.is_empty() {
        chart.panels.push(HBarPanel {
            title: "Rented: Azure VMs (plus VAST software) and Blob, at list price".into(),
            rows: rent.iter().map(|p| row(p)).collect(),
        });
    }
    page.chart(&chart, "Each panel has its own scale, so owned rows are not slivers next to rented ones; the total is printed after each bar.");
    let mut t = Table::new([
        "Candidate",
        "Hardware",
        "Software",
        "Facility",
        "Network",
        "Support",
        "$/month",
        "Capex",
        "3-y TCO",
        "5-y TCO",
        "$/usable TB-month",
    ]);
    for p in ranked(plans) {
        let c = &p.sizing.cost;
        t.row([
            p.shape.clone(),
            fmt_usd_short(c.hardware),
            fmt_usd_short(c.software),
            fmt_usd_short(c.facility),
            fmt_usd_short(c.network),
            fmt_usd_short(c.support),
            fmt_usd_short(p.sizing.usd_per_month),
            if p.sizing.capex_usd > 0.0 {
                fmt_usd_short(p.sizing.capex_usd)
            } else {
                "-".into()
            },
            fmt_usd_short(p.sizing.tco_3y_usd),
            fmt_usd_short(p.sizing.tco_5y_usd),
            format!("${:.2}", p.sizing.usd_per_usable_tb_month),
        ]);
    }
    page.table(t.with_caption("Cost by part, USD per month"));
    let vm: Vec<&CandidatePlan> = plans
        .iter()
        .filter(|p| !p.sizing.vm_terms.is_empty())
        .collect();
    if !vm.is_empty() {
        let mut t = Table::new([
            "Candidate",
            "Priced at",
            "Pay-as-you-go",
            "Reserved 1 y",
            "Reserved 3 y",
        ]);
        for p in vm {
            let term = |k: vastplan_models::cost::VmPricing| {
                p.sizing
                    .vm_terms
                    .iter()
                    .find(|(x, _)| *x == k)
                    .map_or("-".into(), |(_, v)| fmt_usd_short(*v))
            };
            use vastplan_models::cost::VmPricing as V;
            t.row([
                p.shape.clone(),
                p.sizing.vm_pricing.as_str().to_string(),
                term(V::PayAsYouGo),
                term(V::Reserved1y),
                term(V::Reserved3y),
            ]);
        }
        page.table(t.with_caption("Rented VMs at each pricing term, USD per month"));
    }

    page.subsection("Footprint");
    let mut racks = HBarChart::new(
        "Racks and facility power",
        Axis::new("Racks", Unit::plain("racks")),
        vec!["racks".into()],
    );
    racks.value_format = Some(|v| format!("{v:.0}"));
    racks.stacked = true;
    racks.panels.push(HBarPanel {
        title: String::new(),
        rows: ranked(plans)
            .into_iter()
            .map(|p| {
                candidate_row(
                    p,
                    vec![p.sizing.racks as f64],
                    Some(format!(
                        "{} racks, {} kW ({}-bound)",
                        p.sizing.racks,
                        fmt_thousands(p.sizing.kw_facility.round() as i64),
                        p.sizing.rack_bound.as_str()
                    )),
                )
            })
            .collect(),
    });
    page.chart(&racks, "Racks are the larger of the space and the power bound per rack; kW is the average draw times PUE.");
}

fn bom_section(page: &mut Page, plans: &[CandidatePlan]) {
    page.section("Bill of materials");
    page.paragraph("Every device each candidate needs, with its unit price, space and power, and where each number came from. Rented rows list the service they rent.");
    let mut t = Table::new([
        "Candidate",
        "Item",
        "Role",
        "Count",
        "Unit price",
        "Capex",
        "Rack units",
        "kW (avg)",
        "Source (confidence)",
    ]);
    for p in ranked(plans) {
        for (i, b) in p.sizing.bom.iter().enumerate() {
            t.row([
                if i == 0 {
                    p.shape.clone()
                } else {
                    String::new()
                },
                b.item.clone(),
                format!("{:?}", b.role).to_lowercase(),
                b.count.to_string(),
                if b.unit_capex_usd > 0.0 {
                    fmt_usd(b.unit_capex_usd)
                } else {
                    "-".into()
                },
                if b.unit_capex_usd > 0.0 {
                    fmt_usd_short(b.capex())
                } else {
                    "-".into()
                },
                format!("{:.0}", b.rack_units()),
                format!("{:.1}", b.watts_avg() / 1000.0),
                format!("{} ({})", b.source, b.confidence),
            ]);
        }
    }
    page.table(t);
}

fn bandwidth_section(page: &mut Page, t: &Targets, plans: &[CandidatePlan]) {
    page.section("Bandwidth");
    let simulated = plans.iter().any(|p| p.sim.is_some());
    let mut series = vec!["closed-form read ceiling".to_string()];
    if simulated {
        series.push("simulated mean read".into());
    }
    let mut bw = HBarChart::new(
        "Delivered vs demanded read",
        Axis::new("Read throughput", Unit::si("B/s")),
        series,
    );
    bw.value_format = Some(fmt_bytes_per_s);
    bw.panels.push(HBarPanel {
        title: String::new(),
        rows: ranked(plans)
            .into_iter()
            .map(|p| {
                let mut values = vec![p.read_ceiling_bps];
                if simulated {
                    values.push(p.sim.as_ref().map_or(f64::NAN, |s| s.read_gbs_mean * 1e9));
                }
                candidate_row(p, values, None)
            })
            .collect(),
    });
    if t.read_bps > 0.0 {
        bw.x_refs.push(RefLine::new(
            t.read_bps,
            format!("demanded {}", fmt_bytes_per_s(t.read_bps)),
        ));
    }
    let grew = plans
        .iter()
        .any(|p| (p.sim.as_ref()).is_some_and(|s| !s.tranches_applied.is_empty()));
    let caption = if grew {
        "The simulated mean includes checkpoint pauses, restores and rebuilds, and can sit below the demand when GPUs wait on checkpoints rather than reads. The closed-form ceiling is the starting cluster's; the simulated mean also covers what the tranches add, so it can exceed it."
    } else {
        "The simulated mean includes checkpoint pauses, restores and rebuilds, and can sit below the demand when GPUs wait on checkpoints rather than reads."
    };
    page.chart(&bw, caption);
    if let Some(goal) = t.max_usd_per_gbs_month {
        let mut pp = HBarChart::new(
            "Price-performance",
            Axis::new("Cost per GB/s-month", Unit::Usd),
            vec!["$/GB/s-month".into()],
        );
        pp.stacked = true;
        pp.panels.push(HBarPanel {
            title: String::new(),
            rows: ranked(plans)
                .into_iter()
                .map(|p| {
                    candidate_row(
                        p,
                        vec![p.usd_per_gbs_month],
                        Some(fmt_usd_short(p.usd_per_gbs_month)),
                    )
                })
                .collect(),
        });
        pp.x_refs.push(RefLine::new(
            goal,
            format!("target {}", fmt_usd_short(goal)),
        ));
        page.chart(
            &pp,
            "Monthly cost divided by the closed-form read ceiling of the cluster as planned.",
        );
    }
}

fn under_load_section(page: &mut Page, t: &Targets, plans: &[CandidatePlan]) {
    let sims: Vec<(&CandidatePlan, &vastplan_models::simulate::SimResult)> = ranked(plans)
        .into_iter()
        .filter_map(|p| p.sim.as_ref().map(|s| (p, s)))
        .collect();
    if sims.is_empty() {
        return;
    }
    page.section("Under load");
    let days = sims
        .iter()
        .map(|(_, s)| s.simulated_s / 86_400.0)
        .fold(0.0, f64::max);
    page.paragraph(format!(
        "Each candidate as planned runs {} of the scenario: the GPUs' reads, synchronous checkpoints, GPU interruptions with restores, drive failures and node losses with rebuilds.",
        if days == 1.0 {
            "one simulated day".to_string()
        } else {
            format!("{} simulated days", value(days))
        }
    ));
    if sims.iter().any(|(_, s)| s.checkpoint_p99_s.is_some()) {
        let mut ck = HBarChart::new(
            "Checkpoint time: median, 99th percentile and worst",
            Axis::new("Checkpoint time", Unit::si("s")),
            vec!["p50".into(), "p99".into(), "max".into()],
        );
        ck.value_format = Some(|v| format!("{} s", fmt_sig(v, 3)));
        ck.panels.push(HBarPanel {
            title: String::new(),
            rows: sims
                .iter()
                .map(|(p, s)| {
                    candidate_row(
                        p,
                        vec![
                            s.checkpoint_p50_s.unwrap_or(f64::NAN),
                            s.checkpoint_p99_s.unwrap_or(f64::NAN),
                            s.checkpoint_max_s.unwrap_or(f64::NAN),
                        ],
                        Some(format!(
                            "{} ckpts, {} over",
                            s.checkpoints, s.checkpoint_overruns
                        )),
                    )
                })
                .collect(),
        });
        if let Some(goal) = t.checkpoint_p99_s {
            ck.x_refs
                .push(RefLine::new(goal, format!("target p99 {goal:.0} s")));
        }
        page.chart(
            &ck,
            "Every checkpoint of every job over the simulated period; \"over\" counts those past the target.",
        );
    }
    let day = |ts: f64| ts / 86_400.0;
    if sims.iter().any(|(_, s)| s.gpu_utilisation.is_some()) {
        let mut util = SmallMultiples::new(
            "GPU utilisation over time, one panel per candidate",
            Axis::new("Time", Unit::plain("days")),
            Axis::new("GPU utilisation", Unit::Percent).including(0.0, 1.0),
        );
        util.step = true;
        util.subtitle = match t.gpu_utilisation_min {
            Some(f) => format!(
                "Mean over each sample interval; dips are synchronous checkpoints, restores and rebuilds. Dashed: the {} floor.",
                fmt_pct(f, 0)
            ),
            None => "Mean over each sample interval; dips are synchronous checkpoints, restores and rebuilds.".into(),
        };
        if let Some(f) = t.gpu_utilisation_min {
            util.y_refs.push(RefLine::new(f, "floor"));
        }
        for (p, s) in &sims {
            util.panels.push(Panel {
                series: Series::new(
                    p.shape.clone(),
                    s.series
                        .iter()
                        .map(|q| (day(q.time_s), q.gpu_utilisation))
                        .collect(),
                ),
                note: format!(
                    "{}\n{}",
                    devices(p),
                    s.gpu_utilisation
                        .map_or("no GPUs simulated".into(), |u| format!(
                            "mean {}",
                            fmt_pct(u, 1)
                        ))
                ),
            });
        }
        page.chart(&util, "");
    }
    let mut bind = SmallMultiples::new(
        "Load on the binding resource, one panel per candidate",
        Axis::new("Time", Unit::plain("days")),
        Axis::new("Utilisation", Unit::Percent).including(0.0, 1.0),
    );
    bind.step = true;
    bind.subtitle = "The pool that binds reads in the closed form, as loaded by every flow in the simulation (reads, checkpoints, restores, rebuilds).".into();
    for (p, s) in &sims {
        bind.panels.push(Panel {
            series: Series::new(
                p.shape.clone(),
                s.series
                    .iter()
                    .map(|q| (day(q.time_s), q.binding_utilisation))
                    .collect(),
            ),
            note: format!("{}\nbinds: {}", devices(p), s.binding_resource),
        });
    }
    page.chart(&bind, "");
    let mut ft = Table::new([
        "Candidate",
        "Drive failures",
        "Node losses",
        "Rebuilds",
        "Mean rebuild",
        "Degraded read",
        "Exposure",
        "Headroom runs out",
    ]);
    for (p, s) in &sims {
        ft.row([
            label(p),
            s.drive_failures.to_string(),
            s.node_losses.to_string(),
            s.rebuilds_completed.to_string(),
            s.rebuild_mean_s.map_or("-".into(), |v| format!("{v:.0} s")),
            s.degraded_read_gbs
                .map_or("-".into(), |v| fmt_bytes_per_s(v * 1e9)),
            format!("{:.1} h", s.exposure_hours),
            s.headroom_exhausted_day
                .map_or("never".into(), |d| format!("day {d:.1}")),
        ]);
    }
    page.subsection("Failures and growth").table(ft);
}

fn ratio_section(page: &mut Page, shape: &str, rows: &[RatioRow]) {
    page.section(format!("Storage per GPU ({shape})"));
    let pts = |f: &dyn Fn(&RatioRow) -> f64| {
        rows.iter()
            .map(|r| (r.gpus as f64, f(r)))
            .collect::<Vec<_>>()
    };
    let mut c = LineChart::new(
        "Read bandwidth per GPU provisioned",
        Axis::new("GPUs", Unit::plain("GPUs")),
        Axis::new("Read per GPU", Unit::si("B/s")),
    );
    c.series.push(Series::new(
        "provisioned",
        pts(&|r| r.read_gbs_per_gpu * 1e9),
    ));
    c.series.push(Series::new(
        "needed at the utilisation floor",
        pts(&|r| r.demand_gbs * 1e9 / r.gpus as f64),
    ));
    page.chart(
        &c,
        "Nodes are the larger of the capacity policy and the bandwidth need.",
    );
    let mut rt = Table::new([
        "GPUs",
        "Demand",
        "Nodes (capacity)",
        "Nodes (bandwidth)",
        "Nodes",
        "Usable TB/GPU",
        "Read/GPU",
        "Binds",
        "$/GPU-month",
    ]);
    for r in rows {
        rt.row([
            r.gpus.to_string(),
            fmt_bytes_per_s(r.demand_gbs * 1e9),
            r.nodes_for_capacity.to_string(),
            r.nodes_for_bandwidth
                .map_or("unreachable".into(), |n| n.to_string()),
            r.nodes.to_string(),
            format!("{:.1}", r.usable_tb_per_gpu),
            fmt_bytes_per_s(r.read_gbs_per_gpu * 1e9),
            r.binding.clone(),
            fmt_usd_short(r.usd_per_gpu_month),
        ]);
    }
    page.table(rt);
}

/// Every input any row rests on, once, least confident first, with the rows that use it.
fn assumptions_section(page: &mut Page, plans: &[CandidatePlan]) {
    struct Use<'a> {
        value: f64,
        source: &'a str,
        confidence: Confidence,
        rows: Vec<&'a str>,
    }
    let mut seen: BTreeMap<(Confidence, &str, String), Use> = BTreeMap::new();
    for p in plans {
        for i in p.sizing.inputs.iter().chain(&p.performance_inputs) {
            let key = (i.confidence, i.name.as_str(), fmt_sig(i.value, 4));
            let u = seen.entry(key).or_insert_with(|| Use {
                value: i.value,
                source: &i.source,
                confidence: i.confidence,
                rows: Vec::new(),
            });
            if !u.rows.contains(&p.shape.as_str()) {
                u.rows.push(&p.shape);
            }
        }
    }
    page.section("Assumptions and sources");
    page.paragraph(format!(
        "The {} inputs the candidates rest on, least confident first. Confidence classes: user (stated in the scenario), hypothetical (a product that does not exist yet), estimate (a reasoned guess), vendor-tool (VAST's sizing tools), derived (computed from sourced figures), published (a public price list or datasheet), measured (a proof of concept's result, fitted by `vastplan calibrate`).",
        seen.len()
    ));
    let mut t = Table::new(["Input", "Value", "Confidence", "Source", "Used by"]);
    let all = plans.len();
    for ((_, name, _), u) in &seen {
        t.row([
            breakable(name),
            if name.ends_with("_bytes") {
                fmt_bytes(u.value)
            } else {
                value(u.value)
            },
            u.confidence.to_string(),
            u.source.to_string(),
            if u.rows.len() == all {
                "all".to_string()
            } else {
                u.rows.join(", ")
            },
        ]);
    }
    t.align(1, Align::Right);
    page.table(t);
}
/// What the answer hangs on: a tornado of the focus candidate's $/month, and the inputs
/// that change the recommendation.
fn sensitivity_section(page: &mut Page, sens: &Sensitivity) {
    let Some(focus) = sens.focus.as_deref() else {
        return;
    };
    let r = &sens.ranges;
    page.section("What the answer hangs on").paragraph(format!(
        "Each input below estimate-grade confidence is moved down and up (estimate ±{:.0} %, hypothetical ±{:.0} %, user ±{:.0} %, vendor-tool ±{:.0} %) and every candidate is re-planned in closed form. The chart shows how far each input moves {focus}'s $/month; ⚑ marks an input whose low or high value changes the recommendation.",
        r.estimate * 100.0,
        r.hypothetical * 100.0,
        r.user * 100.0,
        r.vendor_tool * 100.0
    ));
    let bars: Vec<TornadoBar> = sens
        .swings
        .iter()
        .filter_map(|s| {
            Some(TornadoBar {
                label: s.input.clone(),
                at_low: s.low.get(focus)?.usd_per_month,
                at_high: s.high.get(focus)?.usd_per_month,
                flips: s.changes_recommendation,
            })
        })
        .collect();
    let chart = TornadoChart {
        title: format!("What moves {focus}'s $/month"),
        x_label: format!("{focus}, USD per month"),
        base: sens.base_usd_per_month,
        bars,
        money: true,
    };
    page.chart(
        &chart,
        "Inputs moved over their confidence range; widest swing on top.",
    );
    let mut t = Table::new([
        "Input",
        "Confidence",
        "Low → high value",
        "$/month (focus) low → high",
        "Recommended at low / high",
    ]);
    for s in sens
        .swings
        .iter()
        .filter(|s| s.changes_recommendation)
        .take(12)
    {
        t.row([
            s.input.clone(),
            s.confidence.to_string(),
            format!("{:.4} → {:.4}", s.low_value, s.high_value),
            match (s.low.get(focus), s.high.get(focus)) {
                (Some(l), Some(h)) => format!(
                    "{} → {}",
                    fmt_usd_short(l.usd_per_month),
                    fmt_usd_short(h.usd_per_month)
                ),
                _ => "-".into(),
            },
            format!(
                "{} / {}",
                s.recommended_low.as_deref().unwrap_or("none"),
                s.recommended_high.as_deref().unwrap_or("none")
            ),
        ]);
    }
    if sens.swings.iter().any(|s| s.changes_recommendation) {
        page.subsection("Inputs that change the recommendation")
            .table(t);
    } else {
        page.paragraph("No input moved over its range changes the recommendation.".to_string());
    }
}
