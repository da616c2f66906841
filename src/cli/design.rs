//! `vastplan design`: the storage server to ask Azure for. Searches the design space for
//! the scenario, prints the frontier, the recommended node and what each part is worth,
//! and writes design.csv, ask.md and design.html (`--out`) and the node as a catalog row
//! (`--emit-shape`) that `vastplan plan --shapes` accepts.

use super::table::{fixed, money, num, wrap, Table};
use super::{apply_scenario, apply_sets, Format};
use crate::error::CliError;
use crate::output::write_atomic;
use crate::report::design_report::{ask_lines, ask_markdown, design_page};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use vastplan_models::catalog::ServerRow;
use vastplan_models::design::space::Space;
use vastplan_models::design::{design, Design};
use vastplan_models::Catalog;

#[derive(Args, Debug)]
pub struct DesignArgs {
    /// Scenario file (TOML) whose request and targets the node is designed for.
    pub scenario: PathBuf,
    /// Write design.csv (the frontier), design.json, ask.md and design.html here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the recommended node as a catalog row (baremetal_dpu.csv's columns) that
    /// `vastplan plan --shapes FILE` plans.
    #[arg(long, value_name = "FILE")]
    pub emit_shape: Option<PathBuf>,
    /// The design space [default: design_space.toml in the datasets directory].
    #[arg(long, value_name = "FILE")]
    pub space: Option<PathBuf>,
    /// The drive table [default: drives.csv in the datasets directory].
    #[arg(long, value_name = "FILE")]
    pub drives: Option<PathBuf>,
    /// Override a number: SHAPE.FIELD=VALUE or assumptions.NAME=VALUE (repeatable).
    #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
    pub sets: Vec<String>,
    /// What to print on stdout: the tables, the frontier as CSV, or design.json's content.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Show every column of the terminal tables.
    #[arg(long)]
    pub wide: bool,
}

/// Frontier rows the terminal table shows.
const FRONTIER_ROWS: usize = 12;

pub fn run(
    mut cat: Catalog,
    datasets: &Path,
    a: &DesignArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let (sc, file) = apply_scenario(&mut cat, &a.scenario)?;
    apply_sets(&mut cat, &a.sets)?;
    let space_path = a
        .space
        .clone()
        .unwrap_or_else(|| datasets.join("design_space.toml"));
    let drives_path = a
        .drives
        .clone()
        .unwrap_or_else(|| datasets.join("drives.csv"));
    let space = Space::load(&space_path, &drives_path, &cat)?;
    let d = design(&cat, &sc, &space, &file)?;
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::input(format!("cannot create {}: {e}", dir.display())))?;
        let mut csv = Vec::new();
        frontier_csv(&d, &space).write_csv(&mut csv)?;
        write_atomic(&dir.join("design.csv"), &csv)?;
        write_atomic(
            &dir.join("ask.md"),
            ask_markdown(&d, &space, &file).as_bytes(),
        )?;
        write_atomic(&dir.join("design.json"), json(&d)?.as_bytes())?;
        write_atomic(
            &dir.join("design.html"),
            design_page(&d, &space, &file).to_html().as_bytes(),
        )?;
    }
    if let Some(path) = &a.emit_shape {
        let row = d.best_row(&space).ok_or_else(|| {
            CliError::input(format!(
                "--emit-shape: no point of {} meets every target of {file}",
                space.file
            ))
        })?;
        write_atomic(path, shape_csv(&row, &sc.name).as_bytes())?;
    }
    match a.format {
        Format::Csv => frontier_csv(&d, &space).write_csv(out)?,
        Format::Json => writeln!(out, "{}", json(&d)?)?,
        Format::Table => print_tables(&d, &space, a, out)?,
    }
    Ok(())
}

/// The frontier, the ask's whole plan row (in plan.json's form, so it compares with
/// `plan --shapes` on the emitted row) and the marginal plans.
fn json(d: &Design) -> Result<String, CliError> {
    let v = serde_json::json!({
        "scenario": d.scenario,
        "points": d.search.points.len(),
        "sized": d.search.sized(),
        "frontier": d.search.frontier.iter().filter_map(|&i| d.search.points[i].sized.as_ref()).collect::<Vec<_>>(),
        "ask": d.search.best.as_ref().map(|b| &b.plan),
        "marginals": d.marginals,
    });
    serde_json::to_string_pretty(&v).map_err(|e| CliError::Internal(e.to_string()))
}

fn print_tables(
    d: &Design,
    space: &Space,
    a: &DesignArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let s = &d.search;
    let head = format!(
        "{} — {} points of {}: {} cannot be built, {} sized by plan's closed form, {} on the frontier",
        d.scenario,
        s.points.len(),
        space.file,
        s.infeasible(),
        s.sized(),
        s.frontier.len()
    );
    for l in wrap(&head, 120) {
        writeln!(out, "{l}")?;
    }
    for l in wrap(&format!("targets: {}", d.targets.stated.join("; ")), 120) {
        writeln!(out, "{l}")?;
    }
    let mut t = Table::new(&[
        "node",
        "nodes",
        "racks",
        "$/month",
        "$/TB-mo",
        "$/GB/s-mo",
        "meets*",
        "binds",
    ])
    .wide_only(&["binds"]);
    // The terminal shows the frontier points a buyer would look at first: those meeting
    // the targets, cheapest first; design.csv (or --csv) has them all.
    let mut shown: Vec<usize> = s.frontier.clone();
    let key = |i: &usize| {
        s.points[*i]
            .sized
            .as_ref()
            .map_or((true, f64::INFINITY), |z| {
                (!z.meets_all_but_durability, z.usd_per_month)
            })
    };
    shown.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1)).then(a.cmp(b))
    });
    shown.truncate(FRONTIER_ROWS);
    for &i in &shown {
        let Some(z) = &s.points[i].sized else {
            continue;
        };
        t.push(vec![
            s.points[i].node.spec.id(),
            z.nodes.to_string(),
            z.racks.to_string(),
            money(z.usd_per_month),
            format!("{:.2}", z.usd_per_usable_tb_month),
            format!("{:.0}", z.usd_per_gbs_month),
            if z.meets_all_but_durability {
                "yes"
            } else {
                "no"
            }
            .into(),
            z.binding.clone(),
        ]);
    }
    writeln!(
        out,
        "\nfrontier ($/usable-TB-month, $/GB/s-month, racks), {} of {} points, those meeting the targets cheapest first:",
        shown.len(),
        s.frontier.len()
    )?;
    t.write_text(out, a.wide)?;
    writeln!(
        out,
        "* every target judged before durability; all frontier points in design.csv (--out) or --format csv"
    )?;
    let Some(best) = &s.best else {
        writeln!(out, "\nNo point meets every target.")?;
        return Ok(());
    };
    let n = &s.points[best.index].node;
    writeln!(out)?;
    let head = format!(
        "the ask: {} (the cheapest point that meets every target; nines computed for {} points)",
        n.spec.id(),
        s.nines_computed
    );
    for l in wrap(&head, 120) {
        writeln!(out, "{l}")?;
    }
    // The spec sheet: each part's ask on its line, the numbers behind it indented below.
    for l in ask_lines(d, space, n, &best.plan) {
        for (k, w) in wrap(&l.spec, 111).into_iter().enumerate() {
            let part = if k == 0 { l.part.as_str() } else { "" };
            writeln!(out, "{part:<8} {w}")?;
        }
        for w in wrap(&l.why, 111) {
            writeln!(out, "         {w}")?;
        }
    }
    if let Some(dir) = &a.out {
        writeln!(
            out,
            "wrote {}/design.csv, design.json, ask.md, design.html",
            dir.display()
        )?;
    }
    if let Some(p) = &a.emit_shape {
        writeln!(out, "wrote {} (plan it with --shapes)", p.display())?;
    }
    Ok(())
}

/// The frontier for spreadsheets: units in the headers, plain numbers.
fn frontier_csv(d: &Design, space: &Space) -> Table {
    let mut t = Table::new(&[
        "id",
        "dpu",
        "drive",
        "drives_per_node",
        "drive_tb",
        "rack_units_per_node",
        "egress_gbps_per_node",
        "cores_per_node",
        "vcpus_per_node",
        "watts_peak_per_node",
        "capex_usd_per_node",
        "nodes",
        "racks",
        "usd_per_month",
        "usd_per_usable_tb_month",
        "usd_per_gbs_month",
        "read_ceiling_gbs",
        "write_ceiling_gbs",
        "binding",
        "meets_targets_before_durability",
    ]);
    for &i in &d.search.frontier {
        let p = &d.search.points[i];
        let Some(z) = &p.sized else { continue };
        let n = &p.node;
        t.push(vec![
            n.spec.id(),
            n.spec.dpu.clone(),
            n.spec.drive.clone(),
            n.spec.drives.to_string(),
            num(space.drives[&n.spec.drive].capacity_tb.value),
            num(n.rack_units),
            n.spec.egress_gbps.to_string(),
            n.spec.cores.to_string(),
            num(n.vcpus),
            fixed(n.watts_peak, 1),
            fixed(n.capex_usd, 2),
            z.nodes.to_string(),
            z.racks.to_string(),
            fixed(z.usd_per_month, 2),
            fixed(z.usd_per_usable_tb_month, 4),
            fixed(z.usd_per_gbs_month, 2),
            fixed(z.read_ceiling_bps / 1e9, 3),
            fixed(z.write_ceiling_bps / 1e9, 3),
            z.binding.clone(),
            if z.meets_all_but_durability { "1" } else { "0" }.into(),
        ]);
    }
    t
}

/// One catalog row in `baremetal_dpu.csv`'s columns; numbers in shortest round-trip form
/// so `plan` reads back exactly what the design sized.
pub fn shape_csv(r: &ServerRow, scenario: &str) -> String {
    let opt =
        |p: &Option<vastplan_models::Param>| p.as_ref().map_or(String::new(), |p| num(p.value));
    let header = "id,dpu,drives,drive_tb,rack_units,watts_avg,watts_peak,min_nodes,protocol_reference,source,confidence,vcpus,network_gbps,nvme_read_mbps,nvme_write_mbps,capex_usd,notes";
    let cells = [
        r.id.clone(),
        r.dpu
            .clone()
            .unwrap_or_else(|| vastplan_models::catalog::NO_DPU.into()),
        num(r.drives.value),
        num(r.drive_tb.value),
        num(r.rack_units.value),
        num(r.watts_avg.value),
        num(r.watts_peak.value),
        num(r.min_nodes.value),
        r.protocol_reference.clone(),
        format!("vastplan design {scenario}"),
        "hypothetical".into(),
        opt(&r.vcpus),
        opt(&r.network_gbps),
        opt(&r.nvme_read_mbps),
        opt(&r.nvme_write_mbps),
        opt(&r.capex_usd),
        "\"a designed node: every number is the design space's (design_space.toml, drives.csv)\""
            .into(),
    ];
    format!("{header}\n{}\n", cells.join(","))
}
