//! The id of a sweep: which sweep a directory, a manifest or a run file belongs to.
//!
//! It has two halves, 16 hex digits each. The first is a hash of the manifest's run list
//! (every column but the id), so `merge` can recompute it and notice a truncated, edited
//! or reordered manifest. The second is a hash of what the runs share but the list does
//! not show (the simulated days, the scenario file's bytes), so editing those also makes
//! a different sweep. The hash is FNV-1a (64-bit): stable across builds and machines,
//! which is all that is needed to tell sweeps apart; it is not a defence against forgery.

/// FNV-1a over `parts`, each followed by a zero byte so `["ab", "c"]` and `["a", "bc"]`
/// differ.
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in p.iter().chain(std::iter::once(&0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The sweep id from the run list's bytes and the shared context's.
pub fn sweep_id(run_list: &[u8], context: &[&[u8]]) -> String {
    format!("{:016x}{:016x}", fnv1a(&[run_list]), fnv1a(context))
}

/// The run-list half of an id (`None` if it is not an id).
pub fn run_list_half(id: &str) -> Option<&str> {
    (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| &id[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_and_boundaries() {
        // FNV-1a 64 of "a" is af63dc4c8601ec8c; here every part ends with a zero byte.
        assert_eq!(fnv1a(&[]), 0xcbf2_9ce4_8422_2325);
        assert_ne!(fnv1a(&[b"ab", b"c"]), fnv1a(&[b"a", b"bc"]));
        let id = sweep_id(b"x", &[b"days=1"]);
        assert_eq!(
            run_list_half(&id),
            Some(&format!("{:016x}", fnv1a(&[b"x"]))[..])
        );
        assert_eq!(run_list_half("zz"), None);
    }
}
