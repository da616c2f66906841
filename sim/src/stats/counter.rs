/// A monotone event or byte counter.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Counter {
    count: u64,
    total: f64,
}

impl Counter {
    pub fn new() -> Self {
        Self::default()
    }
    /// Counts one occurrence carrying `amount` (bytes, seconds, ...).
    pub fn add(&mut self, amount: f64) {
        self.count += 1;
        self.total += amount;
    }
    pub fn incr(&mut self) {
        self.add(1.0);
    }
    pub fn count(&self) -> u64 {
        self.count
    }
    pub fn total(&self) -> f64 {
        self.total
    }
}
