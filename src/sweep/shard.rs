//! Which share of the runs this process takes: `--shard I/N`, else a Slurm job array
//! task, else a Kubernetes Indexed Job pod, else everything.
//!
//! Shard `I` of `N` takes every run whose index is `I` modulo `N`; interleaving rather than
//! blocks keeps shards balanced when run cost grows along an axis (more nodes, more GPUs).

use crate::error::CliError;

/// Environment variable giving the shard count to a Kubernetes Indexed Job, which exposes
/// only its pod's index (`JOB_COMPLETION_INDEX`); set it to the Job's `completions`.
pub const SHARD_COUNT_ENV: &str = "VASTPLAN_SHARD_COUNT";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    pub fn takes(&self, run_index: usize) -> bool {
        run_index % self.count == self.index
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

fn make(index: u64, count: u64, what: &str) -> Result<Shard, CliError> {
    if count == 0 || index >= count {
        return Err(CliError::input(format!(
            "{what}: shard index {index} must be below the count {count}"
        )));
    }
    Ok(Shard {
        index: index as usize,
        count: count as usize,
    })
}

/// Parses `I/N`.
pub fn parse_shard(s: &str) -> Result<Shard, CliError> {
    let bad = || CliError::input(format!("--shard {s:?}: expected I/N, e.g. 0/4"));
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let i: u64 = i.trim().parse().map_err(|_| bad())?;
    let n: u64 = n.trim().parse().map_err(|_| bad())?;
    make(i, n, "--shard")
}

/// The shard from the flag or, absent it, the batch system's environment (looked up
/// through `env` so tests need not touch the process environment).
pub fn resolve_shard(
    flag: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Shard, CliError> {
    if let Some(s) = flag {
        return parse_shard(s);
    }
    let num = |k: &str| -> Result<Option<u64>, CliError> {
        match env(k) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| CliError::input(format!("${k}={v:?} is not a whole number"))),
        }
    };
    if let Some(id) = num("SLURM_ARRAY_TASK_ID")? {
        // Arrays may start anywhere (`--array=1-8`); the offset from the lowest task is
        // the shard, and the task count is the shard count.
        let min = num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        let count = num("SLURM_ARRAY_TASK_COUNT")?.ok_or_else(|| {
            CliError::input("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")
        })?;
        let idx = id
            .checked_sub(min)
            .ok_or_else(|| CliError::input("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN"))?;
        return make(idx, count, "Slurm array");
    }
    if let Some(idx) = num("JOB_COMPLETION_INDEX")? {
        let count = num(SHARD_COUNT_ENV)?.ok_or_else(|| {
            CliError::input(format!(
                "JOB_COMPLETION_INDEX is set but {SHARD_COUNT_ENV} is not: set it to the Job's completions"
            ))
        })?;
        return make(idx, count, "Kubernetes indexed job");
    }
    Ok(Shard::WHOLE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(kv: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| kv.iter().find(|(a, _)| *a == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn flag_then_slurm_then_kubernetes_then_whole() {
        let none = env(&[]);
        assert_eq!(resolve_shard(None, &none).unwrap(), Shard::WHOLE);
        assert_eq!(
            resolve_shard(Some("2/5"), &none).unwrap(),
            Shard { index: 2, count: 5 }
        );
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("JOB_COMPLETION_INDEX", "0"),
        ]);
        assert_eq!(
            resolve_shard(None, &slurm).unwrap(),
            Shard { index: 2, count: 4 }
        );
        assert_eq!(
            resolve_shard(Some("0/1"), &slurm).unwrap(),
            Shard::WHOLE,
            "the flag wins"
        );
        let k8s = env(&[("JOB_COMPLETION_INDEX", "7"), (SHARD_COUNT_ENV, "8")]);
        assert_eq!(
            resolve_shard(None, &k8s).unwrap(),
            Shard { index: 7, count: 8 }
        );
    }

    #[test]
    fn bad_shards_are_input_errors() {
        let none = env(&[]);
        for s in ["3/3", "1", "a/2", "0/0", "-1/2"] {
            assert_eq!(
                resolve_shard(Some(s), &none).unwrap_err().exit_code(),
                2,
                "{s}"
            );
        }
        let k8s = env(&[("JOB_COMPLETION_INDEX", "1")]);
        assert!(resolve_shard(None, &k8s).is_err());
    }
}
