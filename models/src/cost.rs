//! The whole monthly cost of a sized cluster, by part, for every kind alike, so that
//! owned hardware, rented VMs and Blob are compared on the same footing:
//!
//! - **hardware**: owned boxes' capex spread over `amortisation_months` (an annuity at
//!   `cost_of_money_per_year`, straight-line when 0); rented VMs at pay-as-you-go or a
//!   reserved term; Blob's capacity charge.
//! - **software**: VAST's capacity-based subscription on every VAST row (owned, VM or
//!   bare metal), per usable TB-month — an estimate: no public price exists.
//! - **facility**: owned hardware only: leased colocation capacity (peak kW × $/kW-month)
//!   plus metered energy (average kW × PUE × $/kWh). In a rented price already.
//! - **network**: owned switches (amortised like hardware); Blob's transactions and
//!   egress for the stated traffic. Within a region, VM traffic is not billed.
//! - **support**: owned hardware maintenance, a share of capex per year.

use crate::bom::{BomItem, ItemRole};
use serde::Serialize;

/// How rented VMs are paid for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VmPricing {
    #[default]
    PayAsYouGo,
    #[serde(rename = "reserved-1y")]
    Reserved1y,
    #[serde(rename = "reserved-3y")]
    Reserved3y,
}

impl VmPricing {
    pub fn as_str(self) -> &'static str {
        match self {
            VmPricing::PayAsYouGo => "pay-as-you-go",
            VmPricing::Reserved1y => "reserved-1y",
            VmPricing::Reserved3y => "reserved-3y",
        }
    }
    /// The assumption holding this term's discount off pay-as-you-go, if any.
    pub fn discount_assumption(self) -> Option<&'static str> {
        match self {
            VmPricing::PayAsYouGo => None,
            VmPricing::Reserved1y => Some("azure_reserved_1y_discount"),
            VmPricing::Reserved3y => Some("azure_reserved_3y_discount"),
        }
    }
}

/// USD per month, by part. `total` is their sum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct MonthlyCost {
    pub hardware: f64,
    pub software: f64,
    pub facility: f64,
    pub network: f64,
    pub support: f64,
}

impl MonthlyCost {
    pub fn total(&self) -> f64 {
        self.hardware + self.software + self.facility + self.network + self.support
    }
    /// The parts with their names, in report order.
    pub fn parts(&self) -> [(&'static str, f64); 5] {
        [
            ("hardware", self.hardware),
            ("software", self.software),
            ("facility", self.facility),
            ("network", self.network),
            ("support", self.support),
        ]
    }
}

/// Monthly payment that repays `capex` over `months` at an annual rate (0: straight line).
pub fn amortised(capex: f64, months: f64, annual_rate: f64) -> f64 {
    if capex <= 0.0 {
        return 0.0;
    }
    let i = annual_rate / 12.0;
    if i <= 0.0 {
        capex / months
    } else {
        capex * i / (1.0 - (1.0 + i).powf(-months))
    }
}

/// Capex of the owned bill, split into (devices, network).
pub fn owned_capex(bom: &[BomItem]) -> (f64, f64) {
    let sum = |pred: &dyn Fn(ItemRole) -> bool| -> f64 {
        bom.iter()
            .filter(|b| pred(b.role))
            .map(BomItem::capex)
            .sum()
    };
    (
        sum(&|r| matches!(r, ItemRole::Storage | ItemRole::Compute)),
        sum(&|r| r == ItemRole::Network),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_line_without_cost_of_money_and_an_annuity_with_it() {
        assert_eq!(amortised(60_000.0, 60.0, 0.0), 1_000.0);
        // 60,000 over 60 months at 6 %/year: the textbook annuity, 1,159.97 a month.
        let m = amortised(60_000.0, 60.0, 0.06);
        assert!((m - 1_159.97).abs() < 0.01, "{m}");
        assert_eq!(amortised(0.0, 60.0, 0.06), 0.0);
    }

    #[test]
    fn total_is_the_sum_of_the_parts() {
        let c = MonthlyCost {
            hardware: 1.0,
            software: 2.0,
            facility: 3.0,
            network: 4.0,
            support: 5.0,
        };
        assert_eq!(c.total(), 15.0);
        assert_eq!(c.parts().iter().map(|p| p.1).sum::<f64>(), 15.0);
    }
}
