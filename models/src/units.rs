//! SI newtypes. Everything inside the planner is bytes, bytes/s and watts; the
//! constructors below are the only places where vendor units (TB, TiB, Mbps, Gbps,
//! MBps) are converted, so a TB/TiB or bit/byte slip has one place to hide.

use serde::Serialize;
use std::ops::{Add, Mul};

pub const TB: f64 = 1e12;
pub const TIB: f64 = 1_099_511_627_776.0;
pub const PB: f64 = 1e15;
pub const PIB: f64 = 1_125_899_906_842_624.0;
pub const GB: f64 = 1e9;

/// A byte count (capacity).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize)]
pub struct Bytes(pub f64);

impl Bytes {
    pub fn from_tb(tb: f64) -> Self {
        Bytes(tb * TB)
    }
    pub fn from_tib(tib: f64) -> Self {
        Bytes(tib * TIB)
    }
    pub fn from_gb(gb: f64) -> Self {
        Bytes(gb * GB)
    }
    pub fn from_pb(pb: f64) -> Self {
        Bytes(pb * PB)
    }
    pub fn pb(self) -> f64 {
        self.0 / PB
    }
    pub fn tb(self) -> f64 {
        self.0 / TB
    }
    pub fn gb(self) -> f64 {
        self.0 / GB
    }
}

impl Add for Bytes {
    type Output = Bytes;
    fn add(self, o: Bytes) -> Bytes {
        Bytes(self.0 + o.0)
    }
}

impl Mul<f64> for Bytes {
    type Output = Bytes;
    fn mul(self, k: f64) -> Bytes {
        Bytes(self.0 * k)
    }
}

/// A throughput in bytes per second.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize)]
pub struct BytesPerSec(pub f64);

impl BytesPerSec {
    /// Network line rates are decimal bits: 1 Gbps = 1e9/8 bytes/s.
    pub fn from_gbps(gbps: f64) -> Self {
        BytesPerSec(gbps * 1e9 / 8.0)
    }
    /// Azure prints VM network bandwidth in Mbps (1e6 bit/s).
    pub fn from_mbps_bits(mbps: f64) -> Self {
        BytesPerSec(mbps * 1e6 / 8.0)
    }
    /// Azure prints disk throughput in MBps (1e6 byte/s).
    pub fn from_mbytes(mbps: f64) -> Self {
        BytesPerSec(mbps * 1e6)
    }
    pub fn from_gbytes(gbs: f64) -> Self {
        BytesPerSec(gbs * 1e9)
    }
    pub fn gbytes(self) -> f64 {
        self.0 / 1e9
    }
    pub fn gbps(self) -> f64 {
        self.0 * 8.0 / 1e9
    }
}

impl Mul<f64> for BytesPerSec {
    type Output = BytesPerSec;
    fn mul(self, k: f64) -> BytesPerSec {
        BytesPerSec(self.0 * k)
    }
}

/// Electrical power.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize)]
pub struct Watts(pub f64);

impl Watts {
    pub fn kw(self) -> f64 {
        self.0 / 1e3
    }
}

impl Mul<f64> for Watts {
    type Output = Watts;
    fn mul(self, k: f64) -> Watts {
        Watts(self.0 * k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_bits_and_disk_bytes_are_not_confused() {
        assert_eq!(BytesPerSec::from_gbps(400.0).0, 50e9);
        assert_eq!(BytesPerSec::from_mbps_bits(80_000.0).0, 10e9);
        assert_eq!(BytesPerSec::from_mbytes(36_000.0).0, 36e9);
    }

    #[test]
    fn tb_and_tib_differ() {
        assert!((Bytes::from_tib(1.0).0 / Bytes::from_tb(1.0).0 - 1.0995).abs() < 1e-3);
    }
}
