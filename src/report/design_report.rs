//! The page and the one-page spec sheet ("the ask") of `vastplan design`: the recommended
//! storage server line by line with the numbers that justify each line, its cluster for
//! the scenario, the frontier beside today's catalog shapes, and what each part is worth.

use super::format::{fmt_thousands, fmt_usd, fmt_usd_short};
use super::svg::{ScatterChart, ScatterSeries};
use super::{Align, Axis, Page, Table, Unit};
use vastplan_models::catalog::{DeploymentKind, NO_DPU};
use vastplan_models::design::marginal::Marginal;
use vastplan_models::design::node::Node;
use vastplan_models::design::search::Sized;
use vastplan_models::design::space::Space;
use vastplan_models::design::Design;
use vastplan_models::plan::CandidatePlan;

/// One line of the spec sheet: the part, what to build, why.
pub struct AskLine {
    pub part: String,
    pub spec: String,
    pub why: String,
}

fn gbs(bps: f64) -> String {
    format!("{:.0} GB/s", bps / 1e9)
}

fn delta(m: &Marginal) -> String {
    if m.delta_usd_per_month.is_nan() {
        return format!(
            "{}: not buildable ({})",
            m.change,
            m.infeasible.as_deref().unwrap_or("-")
        );
    }
    let sign = if m.delta_usd_per_month >= 0.0 {
        "+"
    } else {
        "-"
    };
    let licence = m.delta_software_usd_per_month;
    let split = if licence.abs() >= 0.005 * m.delta_usd_per_month.abs() && licence != 0.0 {
        format!(
            " ({}{} of it licence)",
            if licence >= 0.0 { "+" } else { "-" },
            fmt_usd_short(licence.abs())
        )
    } else {
        String::new()
    };
    let mut s = format!(
        "{}: {sign}{}/month{split}, {} nodes, binds {}{}",
        m.change,
        fmt_usd_short(m.delta_usd_per_month.abs()),
        fmt_thousands(m.nodes as i64),
        m.binding,
        if m.met {
            String::new()
        } else {
            format!(", misses {}", m.missed.join(", "))
        }
    );
    if let Some(why) = &m.infeasible {
        s.push_str(&format!(" (but {why})"));
    }
    s
}

fn marginal<'a>(d: &'a Design, starts: &str) -> Option<&'a Marginal> {
    d.marginals.iter().find(|m| m.change.starts_with(starts))
}

/// The recommended node with the numbers behind each part.
pub fn ask_lines(d: &Design, space: &Space, n: &Node, p: &CandidatePlan) -> Vec<AskLine> {
    let drive = &space.drives[&n.spec.drive];
    let raw_pb = n.spec.drives as f64 * drive.capacity_tb.value / 1000.0;
    let no = |s: &str| marginal(d, s).map(delta).unwrap_or_else(|| "-".into());
    let dpu = if n.spec.dpu == NO_DPU {
        "none: a plain NIC; Azure's SDN on host cores (sdn_cores_per_100gbps)".to_string()
    } else {
        space.dpu_parts[&n.spec.dpu].name.clone()
    };
    let dpu_why = d
        .marginals
        .iter()
        .find(|m| m.change.contains("DPU"))
        .map(delta)
        .unwrap_or_else(|| "the only DPU choice of this space".into());
    vec![
        AskLine {
            part: "Drives".into(),
            spec: format!(
                "{} x {} ({}), {:.2} PB raw per node",
                n.spec.drives, drive.model, drive.form_factor, raw_pb
            ),
            why: format!(
                "{} x {:.0} MB/s = {} of media read; {}",
                n.spec.drives,
                drive.read_mbps.value,
                gbs(n.spec.drives as f64 * drive.read_mbps.value * 1e6),
                no("one more drive")
            ),
        },
        AskLine {
            part: "Chassis".into(),
            spec: format!(
                "{}U, {} {} bays",
                n.rack_units, n.bays, drive.form_factor
            ),
            why: format!(
                "{:.0} drives and {:.2} PB raw per U; {} of {} PCIe lanes used",
                n.spec.drives as f64 / n.rack_units,
                raw_pb / n.rack_units,
                n.pcie_lanes_used,
                n.pcie_lanes
            ),
        },
        AskLine {
            part: "Network".into(),
            spec: format!(
                "{} Gbps egress per node{}",
                n.spec.egress_gbps,
                if n.nics > 0 {
                    format!(", {} x 400G NIC (PCIe Gen5 x16 each)", n.nics)
                } else {
                    // Through a DPU the node sends at the least of its ports and the SDN
                    // functions it carries: name the function when it binds, since that
                    // rate, not the ports, is what the ask must get from the DPU.
                    let least = p
                        .performance_inputs
                        .iter()
                        .filter(|i| i.name.starts_with("dpu_"))
                        .min_by(|a, b| a.value.total_cmp(&b.value));
                    match least {
                        Some(i) if i.value < n.spec.egress_gbps as f64 => format!(
                            " through the DPU; it sends at most {} Gbps, its {} ({}): the rate to ask of the DPU",
                            i.value, i.name, i.confidence
                        ),
                        _ => " through the DPU".into(),
                    }
                }
            ),
            why: no("100 Gbps more egress"),
        },
        AskLine {
            part: "CPU".into(),
            spec: format!(
                "{} cores, {} vCPUs for VAST",
                n.spec.cores, n.vcpus
            ),
            why: d
                .marginals
                .iter()
                .find(|m| m.change.contains("cores fewer"))
                .map(delta)
                .unwrap_or_else(|| "-".into()),
        },
        AskLine {
            part: "DPU".into(),
            spec: dpu,
            why: dpu_why,
        },
        AskLine {
            part: "Power".into(),
            spec: format!(
                "{:.0} W peak, {:.0} W average per node",
                n.watts_peak, n.watts_avg
            ),
            why: format!(
                "{:.0} W per U; the cluster draws {:.0} kW peak in {} racks",
                n.watts_peak / n.rack_units,
                p.sizing.kw_peak,
                p.sizing.racks
            ),
        },
        AskLine {
            part: "Price".into(),
            spec: format!("{} capex per node", fmt_usd(n.capex_usd)),
            why: n
                .capex_parts
                .iter()
                .filter(|(_, v)| *v > 0.0)
                .map(|(k, v)| format!("{k} {}", fmt_usd_short(*v)))
                .collect::<Vec<_>>()
                .join(", "),
        },
        AskLine {
            part: "Money".into(),
            spec: format!("{}/month for the cluster", fmt_usd_short(p.sizing.usd_per_month)),
            why: p
                .sizing
                .cost
                .parts()
                .iter()
                .filter(|(_, v)| *v > 0.0)
                .map(|(k, v)| format!("{k} {}", fmt_usd_short(*v)))
                .collect::<Vec<_>>()
                .join(", ")
                + " (software: the VAST licence estimate per usable TB)",
        },
        AskLine {
            part: "Cluster".into(),
            spec: format!(
                "{} nodes in {} racks for this scenario",
                fmt_thousands(p.nodes as i64),
                p.sizing.racks
            ),
            why: format!(
                "{}/month = {:.2} $/usable-TB-month, {:.0} $/GB/s-month; read ceiling {}, binds {}; {:.1} nines",
                fmt_usd_short(p.sizing.usd_per_month),
                p.sizing.usd_per_usable_tb_month,
                p.usd_per_gbs_month,
                gbs(p.read_ceiling_bps),
                p.binding,
                p.nines.unwrap_or(0.0)
            ),
        },
    ]
}

/// The catalog's VAST rows and Blob, sized by the same closed form, cheapest per usable
/// TB first.
fn catalog_rows(d: &Design) -> Vec<(&Sized, DeploymentKind)> {
    let mut v: Vec<(&Sized, DeploymentKind)> =
        d.catalog.iter().map(|c| (&c.sized, c.kind)).collect();
    v.sort_by(|a, b| {
        a.0.usd_per_usable_tb_month
            .total_cmp(&b.0.usd_per_usable_tb_month)
            .then(a.0.id.cmp(&b.0.id))
    });
    v
}

/// `ask.md`: the spec sheet as Markdown.
pub fn ask_markdown(d: &Design, space: &Space, scenario_file: &str) -> String {
    let mut s = String::new();
    s.push_str(&format!("# The ask — {}\n\n", d.scenario));
    let Some(best) = &d.search.best else {
        s.push_str(&format!(
            "No point of {} meets every target of {scenario_file}; see design.csv for the frontier.\n",
            space.file
        ));
        return s;
    };
    let n = &d.search.points[best.index].node;
    let p = &best.plan;
    s.push_str(&format!(
        "A VAST storage server for Azure, designed by `vastplan design {scenario_file}`: the cheapest of {} points of {} that meets every target ({}). Hypothetical: it rests on the design space's estimates; every line names what it is worth.\n\n",
        fmt_thousands(d.search.points.len() as i64),
        space.file,
        d.targets.stated.join("; ")
    ));
    s.push_str(&format!("Node `{}`\n\n", n.spec.id()));
    s.push_str("| part | ask | why |\n|---|---|---|\n");
    for l in ask_lines(d, space, n, p) {
        s.push_str(&format!("| {} | {} | {} |\n", l.part, l.spec, l.why));
    }
    s.push_str(
        "\n## Against today's catalog (same scenario, same closed form, before durability)\n\n",
    );
    s.push_str("| shape | kind | nodes | racks | $/month | $/usable-TB-month | $/GB/s-month |\n|---|---|---|---|---|---|---|\n");
    s.push_str(&format!(
        "| **{}** | designed | {} | {} | {} | {:.2} | {:.0} |\n",
        n.spec.id(),
        p.nodes,
        p.sizing.racks,
        fmt_usd_short(p.sizing.usd_per_month),
        p.sizing.usd_per_usable_tb_month,
        p.usd_per_gbs_month
    ));
    for (c, k) in catalog_rows(d) {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {:.2} | {:.0} |\n",
            c.id,
            k.as_str(),
            c.nodes,
            c.racks,
            fmt_usd_short(c.usd_per_month),
            c.usd_per_usable_tb_month,
            c.usd_per_gbs_month
        ));
    }
    s.push_str(&format!(
        "\nLeast-confident input: {} ({}). Not in the price: switches and Azure's network fabric (as for the catalog's DPU servers), the chassis' engineering.\n",
        p.least_confident, p.least_confidence
    ));
    s
}

fn frontier_table(d: &Design) -> Table {
    let mut t = Table::new([
        "Node",
        "Nodes",
        "Racks",
        "$/month",
        "$/usable TB-month",
        "$/GB/s-month",
        "Binds",
        "Meets targets*",
    ])
    .with_caption(
        "The Pareto frontier: no other point is cheaper per usable TB, cheaper per GB/s and in fewer racks at once. *Every target judged before durability.",
    );
    for i in 1..6 {
        t.align(i, Align::Right);
    }
    for &i in &d.search.frontier {
        let Some(s) = &d.search.points[i].sized else {
            continue;
        };
        t.row([
            d.search.points[i].node.spec.id(),
            fmt_thousands(s.nodes as i64),
            s.racks.to_string(),
            fmt_usd_short(s.usd_per_month),
            format!("{:.2}", s.usd_per_usable_tb_month),
            format!("{:.0}", s.usd_per_gbs_month),
            s.binding.clone(),
            if s.meets_all_but_durability {
                "yes"
            } else {
                "no"
            }
            .into(),
        ]);
    }
    t
}

/// The frontier beside the catalog: $/usable-TB-month across, $/GB/s-month up. Catalog
/// shapes far off the frontier's scale are named in the caption rather than squashing
/// the chart.
pub fn frontier_chart(d: &Design) -> (ScatterChart, String) {
    let front: Vec<&Sized> = d
        .search
        .frontier
        .iter()
        .filter_map(|&i| d.search.points[i].sized.as_ref())
        .collect();
    let xmax = front
        .iter()
        .map(|s| s.usd_per_usable_tb_month)
        .fold(0.0, f64::max);
    let ask = d.search.best.as_ref().map(|b| {
        (
            b.plan.sizing.usd_per_usable_tb_month,
            b.plan.usd_per_gbs_month,
            b.plan.shape.clone(),
        )
    });
    // The scale a buyer compares on: VAST's own and the DPU rows, the ask, and twice the
    // dearest of them per GB/s; frontier points above it are counted, catalog shapes
    // beyond it named, in the caption.
    let near = |c: &Sized| c.usd_per_usable_tb_month <= 4.0 * xmax;
    let ycap = 2.0
        * catalog_rows(d)
            .iter()
            .filter(|(c, k)| near(c) && *k != DeploymentKind::AzureBlob)
            .map(|(c, _)| c.usd_per_gbs_month)
            .chain(ask.iter().map(|a| a.1))
            .fold(0.0, f64::max);
    let ycap = if ycap > 0.0 { ycap } else { f64::INFINITY };
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for (c, _) in catalog_rows(d) {
        if near(c) && c.usd_per_gbs_month <= ycap {
            on.push((
                c.usd_per_usable_tb_month,
                c.usd_per_gbs_month,
                Some(c.id.clone()),
            ));
        } else {
            off.push(format!(
                "{} ({:.1} $/TB-month, {:.0} $/GB/s-month)",
                c.id, c.usd_per_usable_tb_month, c.usd_per_gbs_month
            ));
        }
    }
    let above = front.iter().filter(|s| s.usd_per_gbs_month > ycap).count();
    let mut series = vec![ScatterSeries::new(
        "designed (frontier)",
        front
            .iter()
            .filter(|s| s.usd_per_gbs_month <= ycap)
            .map(|s| (s.usd_per_usable_tb_month, s.usd_per_gbs_month, None))
            .collect(),
    )];
    series.push(ScatterSeries::new("today's catalog", on));
    if let Some((x, y, id)) = ask {
        series.push(ScatterSeries::new("the ask", vec![(x, y, Some(id))]));
    }
    let mut chart = ScatterChart::new(
        format!("{}: designed frontier vs today's shapes", d.scenario),
        Axis::new("$ per usable TB-month", Unit::plain("$")),
        Axis::new("$ per GB/s-month of read", Unit::plain("$")),
    );
    for s in series {
        chart = chart.with_series(s);
    }
    let mut caption = "Every shape sized for the scenario by plan's closed form.".to_string();
    if above > 0 {
        caption.push_str(&format!(
            " {above} frontier points above {ycap:.0} $/GB/s-month are left off (the table lists them)."
        ));
    }
    if !off.is_empty() {
        caption.push_str(&format!(" Off this scale: {}.", off.join("; ")));
    }
    (chart, caption)
}

/// The HTML page.
pub fn design_page(d: &Design, space: &Space, scenario_file: &str) -> Page {
    let mut page = Page::new(format!("The ask — {}", d.scenario));
    page.meta("Scenario", scenario_file)
        .meta("Design space", space.file.clone())
        .meta(
            "Points",
            format!(
                "{} searched, {} buildable and sized, {} frontier",
                fmt_thousands(d.search.points.len() as i64),
                fmt_thousands(d.search.sized() as i64),
                d.search.frontier.len()
            ),
        );
    page.section("The ask");
    match &d.search.best {
        Some(best) => {
            let n = &d.search.points[best.index].node;
            page.paragraph(format!(
                "Node {}: the cheapest point that meets every target ({}). Hypothetical: it rests on the design space's estimates.",
                n.spec.id(),
                d.targets.stated.join("; ")
            ));
            let mut t = Table::new(["Part", "Ask", "Why"]);
            for l in ask_lines(d, space, n, &best.plan) {
                t.row([l.part, l.spec, l.why]);
            }
            page.table(t);
        }
        None => {
            page.paragraph("No point of the space meets every target.");
        }
    }
    page.section("Frontier");
    let (chart, caption) = frontier_chart(d);
    page.chart(&chart, caption);
    page.table(frontier_table(d));
    if !d.marginals.is_empty() {
        page.section("What each part is worth");
        let mut t = Table::new([
            "Change",
            "$/month change",
            "Nodes",
            "Binds",
            "Meets",
            "Note",
        ]);
        t.align(1, Align::Right).align(2, Align::Right);
        for m in &d.marginals {
            t.row([
                m.change.clone(),
                if m.delta_usd_per_month.is_nan() {
                    "-".into()
                } else {
                    fmt_usd_short(m.delta_usd_per_month)
                },
                fmt_thousands(m.nodes as i64),
                m.binding.clone(),
                if m.met { "yes" } else { "no" }.into(),
                m.infeasible.clone().unwrap_or_default(),
            ]);
        }
        page.table(t);
    }
    page
}
