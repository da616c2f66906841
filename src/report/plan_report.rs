//! The proposal page of `vastplan plan`: the side-by-side table and the charts an
//! architect pastes into a slide.

use super::format::{fmt_bytes_per_s, fmt_pct, fmt_usd_short};
use super::{
    Axis, BarChart, CdfChart, LineChart, Page, RefLine, Series, Table, TornadoBar, TornadoChart,
    Unit,
};
use vastplan_models::plan::{CandidatePlan, Targets};
use vastplan_models::ratio::RatioRow;
use vastplan_models::scenario::Scenario;
use vastplan_models::sensitivity::Sensitivity;

fn label(p: &CandidatePlan) -> String {
    if p.compute_nodes != p.nodes {
        format!("{} + {} CNodes x {}", p.nodes, p.compute_nodes, p.shape)
    } else {
        format!("{} x {}", p.nodes, p.shape)
    }
}

/// What a plan decided and what it hung on, for the top of the page.
pub struct Decision<'a> {
    pub text: &'a str,
    pub sensitivity: Option<&'a Sensitivity>,
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
    let mut page = Page::new(format!("vastplan: {}", sc.name));
    page.subtitle(sc.description.clone());
    page.section("Decision")
        .paragraph(decision.text.to_string());
    page.paragraph(format!("Targets: {}.", t.stated.join("; ")));
    page.meta("Scenario", file).meta("Seed", seed.to_string());
    page.meta("Logical capacity", format!("{} PB", sc.request.logical_pb));
    if t.read_bps > 0.0 {
        page.meta("Read target", fmt_bytes_per_s(t.read_bps));
    }
    if t.write_bps > 0.0 {
        page.meta("Write target", fmt_bytes_per_s(t.write_bps));
    }
    let src = page.note("Every figure rests on datasets/*.csv (each row with source and confidence) and the scenario's named assumptions; the last column names the least-confident input of each row.");

    let mut table = Table::new([
        "Rank",
        "Candidate",
        "Kind",
        "Nodes",
        "CNodes",
        "Racks",
        "kW",
        "$/month",
        "5-y TCO",
        "Read ceiling",
        "Binds",
        "Ckpt p99",
        "GPU util",
        "Nines",
        "Verdict",
        "Least-confident input",
    ]);
    let mut ranked: Vec<&CandidatePlan> = plans.iter().collect();
    ranked.sort_by_key(|p| p.rank);
    for p in ranked {
        let s = p.sim.as_ref();
        table.row([
            p.rank.map_or("-".into(), |r| r.to_string()),
            p.shape.clone(),
            p.kind.to_string(),
            p.nodes.to_string(),
            p.compute_nodes.to_string(),
            p.sizing.racks.to_string(),
            format!("{:.0}", p.sizing.kw_facility),
            fmt_usd_short(p.sizing.usd_per_month),
            fmt_usd_short(p.sizing.tco_5y_usd),
            fmt_bytes_per_s(p.read_ceiling_bps),
            p.binding.clone(),
            s.and_then(|s| s.checkpoint_p99_s)
                .map_or("-".into(), |v| format!("{v:.1} s")),
            s.and_then(|s| s.gpu_utilisation)
                .map_or("-".into(), |u| fmt_pct(u, 1)),
            p.nines.map_or("-".into(), |n| format!("{n:.1}")),
            if p.met {
                "met".into()
            } else {
                format!("misses {}", p.missed.join(", "))
            },
            format!("{} ({})", p.least_confident, p.least_confidence),
        ]);
    }
    page.section("Candidates side by side").paragraph(format!("Each candidate is sized for capacity and for bandwidth (the larger wins), simulated under the scenario's load, and grown when it misses a target {src}.")).table(table);
    for p in plans.iter().filter(|p| !p.met || p.growth_steps > 0) {
        let why = p.why_not.clone().unwrap_or_else(|| {
            format!("grown {} times by 25 % to meet its targets", p.growth_steps)
        });
        page.paragraph(format!("{}: {why}.", p.shape));
    }

    let names: Vec<String> = plans.iter().map(label).collect();
    page.section("Cost and footprint");
    let cost = BarChart::new(
        "Cost per month by candidate",
        Axis::new("Cost per month", Unit::Usd),
        names.clone(),
    )
    .with_series(
        "$/month",
        plans.iter().map(|p| p.sizing.usd_per_month).collect(),
    );
    page.chart(&cost, "Rented shapes: list $/hour; owned: capex over the amortisation period plus power and space.");
    let racks = BarChart::new(
        "Racks by candidate",
        Axis::new("Racks", Unit::plain("racks")),
        names.clone(),
    )
    .with_series(
        "racks",
        plans.iter().map(|p| p.sizing.racks as f64).collect(),
    );
    page.chart(
        &racks,
        "The larger of the space and the power bound per rack.",
    );

    page.section("Bandwidth");
    let mut bw = BarChart::new(
        "Delivered vs demanded read",
        Axis::new("Read throughput", Unit::si("B/s")),
        names.clone(),
    )
    .with_series(
        "closed-form ceiling",
        plans.iter().map(|p| p.read_ceiling_bps).collect(),
    );
    if plans.iter().any(|p| p.sim.is_some()) {
        bw = bw.with_series(
            "simulated mean",
            plans
                .iter()
                .map(|p| p.sim.as_ref().map_or(f64::NAN, |s| s.read_gbs_mean * 1e9))
                .collect(),
        );
    }
    if t.read_bps > 0.0 {
        bw.y_refs.push(RefLine::new(
            t.read_bps,
            format!("demanded {}", fmt_bytes_per_s(t.read_bps)),
        ));
    }
    page.chart(
        &bw,
        "Simulated mean includes checkpoint pauses, restores and rebuilds.",
    );
    if let Some(goal) = t.max_usd_per_gbs_month {
        let mut pp = BarChart::new(
            "Price-performance by candidate",
            Axis::new("Cost per GB/s-month", Unit::Usd),
            names.clone(),
        )
        .with_series(
            "$/GB/s-month",
            plans.iter().map(|p| p.usd_per_gbs_month).collect(),
        );
        pp.y_refs.push(RefLine::new(
            goal,
            format!("target {}", fmt_usd_short(goal)),
        ));
        page.chart(
            &pp,
            "Monthly cost divided by the closed-form read ceiling of the cluster as planned.",
        );
    }

    let sims: Vec<(&CandidatePlan, &vastplan_models::simulate::SimResult)> = plans
        .iter()
        .filter_map(|p| p.sim.as_ref().map(|s| (p, s)))
        .collect();
    if !sims.is_empty() {
        page.section("Under load");
        // Charts with nothing to show (no checkpoints, no GPUs) are left out.
        if sims.iter().any(|(_, s)| !s.checkpoint_samples_s.is_empty()) {
            let mut cdf = CdfChart::new(
                "Checkpoint time distribution",
                Axis::new("Checkpoint time", Unit::si("s")),
            );
            for (p, s) in &sims {
                if !s.checkpoint_samples_s.is_empty() {
                    cdf = cdf.with_sample(label(p), s.checkpoint_samples_s.clone());
                }
            }
            if let Some(goal) = t.checkpoint_p99_s {
                cdf.x_refs
                    .push(RefLine::new(goal, format!("target {goal:.0} s")));
            }
            cdf.y_refs.push(RefLine::new(0.99, "p99"));
            page.chart(
                &cdf,
                "Every checkpoint of every job over the simulated period.",
            );
        }
        let day = |ts: f64| ts / 86_400.0;
        let mut util = LineChart::new(
            "GPU utilisation over time",
            Axis::new("Time", Unit::plain("days")),
            Axis::new("GPU utilisation", Unit::Percent).including(0.0, 1.0),
        );
        let mut bind = LineChart::new(
            "Utilisation of the binding resource",
            Axis::new("Time", Unit::plain("days")),
            Axis::new("Utilisation", Unit::Percent).including(0.0, 1.0),
        );
        for (p, s) in &sims {
            util.series.push(Series::new(
                label(p),
                s.series
                    .iter()
                    .map(|q| (day(q.time_s), q.gpu_utilisation))
                    .collect(),
            ));
            bind.series.push(Series::new(
                format!("{} ({})", label(p), s.binding_resource),
                s.series
                    .iter()
                    .map(|q| (day(q.time_s), q.binding_utilisation))
                    .collect(),
            ));
        }
        util.step = true;
        bind.step = true;
        if sims.iter().any(|(_, s)| s.gpu_utilisation.is_some()) {
            page.chart(&util, "Means over each sample interval; dips are synchronous checkpoints, restores and rebuilds.");
        }
        page.chart(&bind, "The pool that binds reads in the closed form, as loaded by every flow in the simulation.");
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
        page.section("Failures and growth").table(ft);
    }

    if let Some((shape, rows)) = ratio {
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
    if let Some(sens) = decision.sensitivity {
        sensitivity_section(&mut page, sens);
    }
    page
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
