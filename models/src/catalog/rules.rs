//! The valid range of every catalog number, by name: one place that every input passes —
//! a CSV cell at load, a scenario's `[overrides]`, a `--set` — so that a zero where the
//! model divides, a share above one, a fractional drive count or a value the model cannot
//! represent is an error naming where it came from, never a panic or an `inf` in a report.

/// What a number may be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    pub min: f64,
    /// `min` itself is allowed.
    pub min_inclusive: bool,
    pub max: f64,
    pub integer: bool,
    pub what: &'static str,
}

/// The largest magnitude any catalog number may have: far beyond every physical figure
/// (bytes, bytes/s, dollars), and far enough below f64's range that sums and products over
/// ten million nodes stay finite.
pub const MAX_VALUE: f64 = 1e18;

const fn positive(what: &'static str) -> Rule {
    Rule {
        min: 0.0,
        min_inclusive: false,
        max: MAX_VALUE,
        integer: false,
        what,
    }
}

const fn between(min: f64, min_inclusive: bool, max: f64, what: &'static str) -> Rule {
    Rule {
        min,
        min_inclusive,
        max,
        integer: false,
        what,
    }
}

const fn count(min: f64, max: f64, what: &'static str) -> Rule {
    Rule {
        min,
        min_inclusive: true,
        max,
        integer: true,
        what,
    }
}

/// The rule for a shape parameter or an assumption called `name`.
pub fn rule(name: &str) -> Rule {
    match name {
        // Shape parameters.
        "host_fraction" => between(0.0, false, 1.0, "a share of one server"),
        "raw_per_usable" => between(1.0, true, 100.0, "raw bytes per usable byte"),
        "drives_per_node" => count(1.0, 10_000.0, "a whole number of drives"),
        "min_nodes" | "min_cnodes" => count(1.0, 1e6, "a whole number of boxes"),
        "cnodes_per_chassis" => count(1.0, 64.0, "a whole number of CNodes per chassis"),
        "vcpus" => count(1.0, 100_000.0, "a whole number of vCPUs"),
        "durability_nines" => between(0.0, true, 30.0, "nines of annual durability"),
        // Assumptions that are shares or ratios.
        "vast_install_reserve" => between(0.0, true, 0.9, "a share of raw capacity"),
        "tcp_protocol_efficiency" => between(0.0, false, 1.0, "a share of the RDMA budget"),
        "vast_cnode_frontend_port_share" => {
            between(0.0, false, 0.999, "a share of the CNode's ports")
        }
        "durability_fill" | "durability_rebuild_share" => {
            between(0.0, false, 1.0, "a share of one")
        }
        "pue" => between(1.0, true, 5.0, "a power usage effectiveness"),
        "cost_of_money_per_year" => between(0.0, true, 1.0, "an annual rate"),
        "azure_reserved_1y_discount" | "azure_reserved_3y_discount" => {
            between(0.0, true, 0.99, "a discount off pay-as-you-go")
        }
        "support_fraction_of_capex_per_year" => between(0.0, true, 1.0, "a share of capex a year"),
        "blob_egress_usd_per_gb" | "vast_licence_usd_per_usable_tb_month" => {
            between(0.0, true, 1e6, "a price (zero allowed)")
        }
        "leaf_oversubscription" => between(1.0, true, 100.0, "a downlink:uplink ratio"),
        "durability_drive_afr" => between(0.0, true, 100.0, "failures per drive-year"),
        "hours_per_month" => between(1.0, true, 744.0, "hours in a month"),
        "amortisation_months" => count(1.0, 600.0, "a whole number of months"),
        "rack_units_usable" => count(1.0, 100.0, "rack units"),
        "vast_parity_strips" | "vast_min_data_strips" | "vast_strips_per_failure_domain" => {
            count(1.0, 1_000.0, "a whole number of strips")
        }
        "vast_max_stripe_width" => count(2.0, 10_000.0, "a whole number of strips"),
        "switch_node_ports"
        | "vast_dbox_ports_per_switch"
        | "vast_cnode_ports_per_switch"
        | "leaf_pairs_per_spine_pair"
        | "gpu_client_vms_per_rack"
        | "azure_servers_per_rack"
        | "blob_accounts_used"
        | "blob_accounts_per_region"
        | "vast_cloud_min_vms"
        | "vast_max_dboxes_per_cluster"
        | "cnode_reference_vcpus"
        | "dpu_host_vcpus" => count(1.0, 1e7, "a whole number"),
        n if n.starts_with("drr_") => between(1.0, true, 100.0, "a data-reduction ratio"),
        n if n.ends_with("_loss_per_year") || n.ends_with("_outage_per_year") => {
            between(0.0, true, 1_000.0, "events per node-year")
        }
        n if n.ends_with("_outage_hours") => between(0.0, true, 8_766.0, "hours"),
        _ => positive("a positive number"),
    }
}

/// A number as a person reads it in an error: plain when moderate, with an exponent
/// when huge or tiny.
pub fn show(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-3..1e9).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

impl Rule {
    /// The same rule for a value written in other units (`value × scale` is the field's
    /// unit), so that an error quotes the bounds as the user wrote the number. A count
    /// stays whole only in its own units.
    pub fn in_units(self, scale: f64) -> Rule {
        Rule {
            min: self.min / scale,
            max: self.max / scale,
            integer: self.integer && scale == 1.0,
            ..self
        }
    }

    /// `Err(why)` when `v` breaks the rule.
    pub fn check(&self, v: f64) -> Result<(), String> {
        let low_ok = if self.min_inclusive {
            v >= self.min
        } else {
            v > self.min
        };
        if !v.is_finite() || !low_ok || v > self.max {
            let lo = if self.min_inclusive { "[" } else { "(" };
            return Err(format!(
                "{} is outside {lo}{}, {}]: must be {}",
                show(v),
                show(self.min),
                show(self.max),
                self.what
            ));
        }
        if self.integer && v.fract() != 0.0 {
            return Err(format!("{} must be {}", show(v), self.what));
        }
        Ok(())
    }
}

/// Checks `p` against `rule`. A number read from one catalog cell is reported at that
/// cell, in the file's own units (a `drive_tb` of 1e308 is refused as 1e308 TB in
/// `drive_tb`, not as an infinite `drive_bytes`); anything else through `otherwise`.
pub fn check_param(
    rule: Rule,
    p: &crate::provenance::Param,
    otherwise: impl FnOnce(String) -> crate::error::InputError,
) -> Result<(), crate::error::InputError> {
    let Err(why) = rule.check(p.value) else {
        return Ok(());
    };
    match p.cell.as_deref() {
        Some(c) if c.scale > 0.0 && c.scale.is_finite() => {
            let why = rule.in_units(c.scale).check(c.raw).err().unwrap_or(why);
            Err(crate::error::InputError::new(&c.file, why)
                .at_line(c.line)
                .field(c.column.as_str()))
        }
        _ => Err(otherwise(why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeros_shares_counts_and_huge_values() {
        assert!(rule("client_write_bps").check(0.0).is_err());
        assert!(rule("client_write_bps").check(7.6e9).is_ok());
        assert!(rule("client_write_bps").check(1e308).is_err());
        assert!(rule("tcp_protocol_efficiency").check(7.0).is_err());
        assert!(rule("tcp_protocol_efficiency").check(1.0).is_ok());
        assert!(rule("drives_per_node").check(2.5).is_err());
        assert!(rule("drr_ai_training").check(0.5).is_err());
        assert!(rule("vast_box_loss_per_year").check(0.0).is_ok());
        assert!(rule("rack_kw_limit").check(0.0).is_err());
        assert!(rule("durability_fill").check(3.0).is_err());
    }
}
