//! `vastplan netcheck`: per-resource demand against capacity for one shape and node
//! count, the binding resource, and the per-node network at which the network stops
//! binding (the hardware ask).

use super::table::{money, num, para, Table};
use super::{apply_sets, drr_param, Format};
use crate::error::CliError;
use clap::Args;
use std::io::Write;
use vastplan_models::netcheck::{netcheck, Netcheck, NetcheckInput};
use vastplan_models::netmodel::{NetOptions, Transport};
use vastplan_models::Catalog;
use vastplan_models::DeploymentKind;

#[derive(Args, Debug)]
pub struct NetcheckArgs {
    /// Candidate shape id (see `vastplan shapes`).
    #[arg(long)]
    pub shape: String,
    /// Storage nodes (VMs, DBox+CNode sets, servers; Blob: storage servers).
    #[arg(long)]
    pub nodes: u32,
    /// Demanded client read, GB/s (10^9 bytes/s).
    #[arg(long, value_name = "GB/s", conflicts_with = "read_gbps")]
    pub read_gbs: Option<f64>,
    /// Demanded client write, GB/s (10^9 bytes/s).
    #[arg(long, value_name = "GB/s", conflicts_with = "write_gbps")]
    pub write_gbs: Option<f64>,
    /// Demanded client read, Gbps (10^9 bits/s).
    #[arg(long, value_name = "Gbps")]
    pub read_gbps: Option<f64>,
    /// Demanded client write, Gbps (10^9 bits/s).
    #[arg(long, value_name = "Gbps")]
    pub write_gbps: Option<f64>,
    /// GPU client VMs reading and writing (0: clients not modelled).
    #[arg(long, default_value_t = 0)]
    pub clients: u32,
    /// GPU client VM shape, for its frontend NIC [default: ND96isr_H100_v5].
    #[arg(long)]
    pub client_vm: Option<String>,
    /// Sessions each client opens (nconnect × mounts), for the connection check.
    #[arg(long, default_value_t = 8)]
    pub sessions_per_client: u32,
    /// CNodes of a disaggregated VAST shape (default: the shape's minimum).
    #[arg(long)]
    pub cnodes: Option<u32>,
    /// Leaf downlink:uplink ratio (default: assumption leaf_oversubscription).
    #[arg(long)]
    pub oversubscription: Option<f64>,
    /// Storage nodes per rack (default: rack units allow).
    #[arg(long)]
    pub nodes_per_rack: Option<u32>,
    /// tcp or rdma (cloud VMs are always tcp: no documented RDMA).
    #[arg(long)]
    pub transport: Option<String>,
    /// Per-node network to assume instead of the catalog's, Gbps (the "what if" ask).
    #[arg(long, value_name = "Gbps")]
    pub node_gbps: Option<f64>,
    /// Data-reduction ratio (default: assumption `drr_<workload>`).
    #[arg(long)]
    pub drr: Option<f64>,
    #[arg(long, default_value = "ai_training")]
    pub workload: String,
    /// Override a number: SHAPE.FIELD=VALUE or assumptions.NAME=VALUE (repeatable).
    #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
    pub sets: Vec<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Show every column of the terminal table (the basis of each capacity), not just
    /// those that fit 120 columns.
    #[arg(long)]
    pub wide: bool,
}

pub fn run(mut c: Catalog, a: &NetcheckArgs, out: &mut dyn Write) -> Result<(), CliError> {
    apply_sets(&mut c, &a.sets)?;
    if a.nodes == 0 {
        return Err(CliError::input("--nodes must be at least 1"));
    }
    if let Some(o) = a.oversubscription {
        if !(o.is_finite() && o >= 1.0) {
            return Err(CliError::input(format!(
                "--oversubscription must be at least 1, got {o}"
            )));
        }
    }
    let transport = match a.transport.as_deref() {
        None => None,
        Some("tcp") => Some(Transport::Tcp),
        Some("rdma") => Some(Transport::Rdma),
        Some(t) => {
            return Err(CliError::input(format!(
                "--transport must be tcp or rdma, got {t:?}"
            )))
        }
    };
    if a.nodes_per_rack == Some(0) {
        return Err(CliError::input("--nodes-per-rack must be at least 1"));
    }
    let node_network = super::check_flag("--node-gbps", a.node_gbps, "network_bps", 1e9 / 8.0)?;
    if u64::from(a.clients) > u64::from(vastplan_models::scenario::MAX_COUNT) {
        return Err(CliError::input(format!(
            "--clients must be at most {}, got {}",
            vastplan_models::scenario::MAX_COUNT,
            a.clients
        )));
    }
    for (flag, v) in [
        ("--read-gbs", a.read_gbs),
        ("--write-gbs", a.write_gbs),
        ("--read-gbps", a.read_gbps),
        ("--write-gbps", a.write_gbps),
    ] {
        if let Some(v) = v {
            if !(v.is_finite() && (0.0..=1e9).contains(&v)) {
                return Err(CliError::input(format!(
                    "{flag} must be between 0 and 1e9, got {v:?}"
                )));
            }
        }
    }
    let bytes =
        |gbs: Option<f64>, gbps: Option<f64>| gbs.map(|v| v * 1e9).or(gbps.map(|v| v * 1e9 / 8.0));
    let shape = c.shape(&a.shape)?.clone();
    super::check_counts(&shape, Some(u64::from(a.nodes)), a.cnodes)?;
    // Checked even without --clients: a misspelt id is a mistake either way.
    let client_vm = a.client_vm.as_deref().unwrap_or("ND96isr_H100_v5");
    c.gpu_vm(client_vm)
        .map_err(|e| CliError::input(format!("--client-vm: {}", e.message)))?;
    if a.clients == 0 && a.client_vm.is_some() {
        super::warn(&format!(
            "--client-vm {client_vm} has no effect without --clients N"
        ));
    }
    if a.sessions_per_client == 0 {
        return Err(CliError::input("--sessions-per-client must be at least 1"));
    }
    if transport == Some(Transport::Rdma) && shape.kind == DeploymentKind::VastEboxCloudVm {
        return Err(CliError::input(format!(
            "--transport rdma: {} is an Azure VM, which documents no RDMA; VM clusters use tcp",
            shape.id
        )));
    }
    let inp = NetcheckInput {
        nodes: a.nodes,
        compute_nodes: a.cnodes,
        drr: drr_param(&c, a.drr, &a.workload)?,
        opts: NetOptions {
            oversubscription: a.oversubscription,
            nodes_per_rack: a.nodes_per_rack,
            clients_per_rack: None,
            transport,
            client_vm: (a.clients > 0).then(|| client_vm.to_string()),
            node_network,
        },
        client_vms: a.clients,
        sessions_per_client: a.sessions_per_client,
        read: bytes(a.read_gbs, a.read_gbps),
        write: bytes(a.write_gbs, a.write_gbps),
    };
    let r = netcheck(&c, &shape, &inp)?;
    match a.format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&r).unwrap_or_default()
        )?,
        Format::Csv => pool_table(&r, true).write_csv(out)?,
        Format::Table => write_text(&r, out, a.wide)?,
    }
    Ok(())
}

fn gbs(v: f64) -> String {
    if v.is_infinite() {
        "unlimited".into()
    } else {
        format!("{:.2}", v / 1e9)
    }
}

fn pool_table(r: &Netcheck, exact: bool) -> Table {
    let mut t = if exact {
        Table::new(&[
            "resource",
            "instances",
            "demand_gbs_per_instance",
            "available_gbs_per_instance",
            "utilisation_fraction",
            "headroom_gbs_per_instance",
            "binding",
            "basis",
        ])
    } else {
        Table::new(&[
            "resource",
            "instances",
            "demand GB/s",
            "available GB/s",
            "utilisation",
            "headroom GB/s",
            "binds",
            "basis",
        ])
        .wide_only(&["basis"])
    };
    for p in &r.pools {
        // CSV: unbounded capacity is an empty cell.
        let f = |v: f64| if exact { num(v / 1e9) } else { gbs(v) };
        t.push(vec![
            p.resource.clone(),
            p.instances.to_string(),
            f(p.demand_per_instance_bps),
            f(p.available_per_instance_bps),
            if exact {
                num(p.utilisation)
            } else {
                format!("{:.1}%", p.utilisation * 100.0)
            },
            f(p.headroom_per_instance_bps),
            match (exact, p.binding) {
                (true, b) => b.to_string(),
                (false, true) => "<- binds".into(),
                (false, false) => String::new(),
            },
            p.basis.clone(),
        ]);
    }
    t
}

fn write_text(r: &Netcheck, out: &mut dyn Write, wide: bool) -> std::io::Result<()> {
    writeln!(
        out,
        "{} x {}{}; per-instance figures at client read {} GB/s, write {} GB/s",
        r.nodes,
        r.shape,
        if r.accounts > 0 {
            format!(" over {} storage accounts", r.accounts)
        } else if r.compute_nodes != r.nodes {
            format!(" with {} CNodes", r.compute_nodes)
        } else {
            String::new()
        },
        gbs(r.evaluated_read_bps),
        gbs(r.evaluated_write_bps)
    )?;
    pool_table(r, false).write_text(out, wide)?;
    writeln!(out)?;
    writeln!(
        out,
        "read ceiling:  {} GB/s, bound by {}",
        gbs(r.read_ceiling_bps),
        r.read_binding
    )?;
    writeln!(
        out,
        "write ceiling: {} GB/s, bound by {}",
        gbs(r.write_ceiling_bps),
        r.write_binding
    )?;
    if let (Some(c), Some(met)) = (r.mix_ceiling_bps, r.demand_met) {
        writeln!(
            out,
            "demanded mix: ceiling {} GB/s total; demand {}",
            gbs(c),
            if met { "met" } else { "NOT met" }
        )?;
    }
    writeln!(out, "cost: {}/month", money(r.usd_per_month))?;
    for k in &r.knees {
        let gb = |v: f64| format!("{:.0} Gbps", v * 8.0 / 1e9);
        match k.knee_network_bps {
            Some(knee) => para(
                out,
                &format!("{} knee: per-node network {} -> {} lifts the ceiling {} -> {} GB/s (then bound by {}); $/GB/s-month {} -> {}",
                k.mix,
                gb(k.network_now_bps),
                gb(knee),
                gbs(k.ceiling_now_bps),
                gbs(k.ceiling_at_knee_bps),
                k.binding_at_knee,
                money(k.usd_per_gbs_month_now),
                money(k.usd_per_gbs_month_at_knee)
            ))?,
            None => para(
                out,
                &format!("{} knee: none above {} — the network does not bind ({} binds at {} GB/s; $/GB/s-month {})",
                k.mix,
                gb(k.network_now_bps),
                k.binding_now,
                gbs(k.ceiling_now_bps),
                money(k.usd_per_gbs_month_now)
            ))?,
        }
        if let Some(m) = k.network_for_media_bps {
            writeln!(
                out,
                "  network for the media alone to bind ({}): {} per node",
                k.mix,
                gb(m)
            )?;
        }
    }
    if let Some(c) = &r.connections {
        writeln!(
            out,
            "connections per node: {:.0} of {} ({}) — {}",
            c.per_node,
            if c.limit.is_finite() {
                format!("{:.0}", c.limit)
            } else {
                "no limit".into()
            },
            c.limit_basis,
            if c.within_limit {
                "ok"
            } else {
                "OVER THE LIMIT"
            }
        )?;
    }
    Ok(())
}
