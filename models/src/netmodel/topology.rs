//! Racks, leaf switches and the spine: how much client and east-west traffic leaves a
//! rack, and how much uplink a rack has.
//!
//! A two-tier leaf-spine: every rack has a leaf switch whose uplinks to the spine carry
//! (sum of its hosts' NIC bandwidth) / oversubscription. The spine itself is sized to the
//! uplinks (non-blocking above the leaves), so the uplinks are where oversubscription
//! bites. GPU clients sit in their own racks, so every client byte leaves a storage rack
//! and enters a client rack.

/// Where nodes and clients sit.
#[derive(Clone, Debug, PartialEq)]
pub struct Topology {
    pub nodes_per_rack: u32,
    pub clients_per_rack: u32,
    /// Leaf downlink : uplink bandwidth ratio (1.0 = non-blocking).
    pub oversubscription: f64,
}

/// Racks needed for `items` at `per_rack` each (at least one rack when items > 0).
pub fn racks_for(items: u32, per_rack: u32) -> u32 {
    if items == 0 {
        0
    } else {
        items.div_ceil(per_rack.max(1))
    }
}

/// Fraction of east-west bytes that leave their rack when a node exchanges data evenly
/// with all of its N−1 peers, and peers are packed `per_rack` to a rack: of the N−1 peers,
/// all but the (rack size − 1) rack-mates are elsewhere. With the last rack partial, the
/// average over nodes is Σ_racks size·(N − size) / (N·(N − 1)).
pub fn cross_rack_fraction(nodes: u32, per_rack: u32) -> f64 {
    if nodes <= 1 {
        return 0.0;
    }
    let n = nodes as f64;
    let per = per_rack.max(1);
    let full = nodes / per;
    let rest = nodes % per;
    let mut s = full as f64 * per as f64 * (n - per as f64);
    if rest > 0 {
        s += rest as f64 * (n - rest as f64);
    }
    s / (n * (n - 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn racks_round_up() {
        assert_eq!(racks_for(0, 10), 0);
        assert_eq!(racks_for(10, 10), 1);
        assert_eq!(racks_for(11, 10), 2);
    }

    #[test]
    fn cross_rack_fraction_hand_worked() {
        // One rack: nothing leaves. Two full racks of 4: each node has 3 rack-mates and 4
        // peers elsewhere out of 7: 4/7.
        assert_eq!(cross_rack_fraction(4, 4), 0.0);
        assert!((cross_rack_fraction(8, 4) - 4.0 / 7.0).abs() < 1e-12);
        // One node per rack: every peer is elsewhere.
        assert!((cross_rack_fraction(5, 1) - 1.0).abs() < 1e-12);
        // 5 nodes, 4 per rack: rack sizes 4 and 1: (4·1 + 1·4) / (5·4) = 0.4.
        assert!((cross_rack_fraction(5, 4) - 0.4).abs() < 1e-12);
    }
}
