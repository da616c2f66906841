//! The programs in `examples/` build and run on the bundled data, each within seconds, and
//! print what they promise. They are built with the cargo that runs this test (a no-op
//! when `cargo test` already built them), in the debug profile the tests use.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// `target/debug/examples`, after building every example once per test process.
fn examples_dir() -> PathBuf {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let o = Command::new(cargo)
            .args(["build", "--examples", "--offline", "--manifest-path"])
            .arg(root.join("Cargo.toml"))
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if o.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&o.stderr).into_owned())
        }
    });
    if let Err(e) = built {
        panic!("cargo build --examples failed:\n{e}");
    }
    // The binary under test lives in target/<profile>/; examples beside it.
    Path::new(env!("CARGO_BIN_EXE_vastplan"))
        .parent()
        .unwrap()
        .join("examples")
}

fn run_example(name: &str, args: &[&str]) -> String {
    let bin = examples_dir().join(name);
    let t = Instant::now();
    let o = Command::new(&bin)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
    let took = t.elapsed();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{name}: {err}");
    assert!(took < Duration::from_secs(20), "{name} took {took:?}");
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn size_request_sizes_every_shape() {
    let out = run_example("size_request", &["20"]);
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert!(rows.len() > 10, "{out}");
    for r in rows {
        let nodes: u64 = r.split(',').nth(1).unwrap().parse().unwrap();
        assert!(nodes > 0, "{r}");
    }
}

#[test]
fn simulate_candidate_reports_delivered_bandwidth() {
    let out = run_example("simulate_candidate", &[]);
    assert!(
        out.contains("x vast-df3120-gen6") && out.contains("GB/s demanded"),
        "{out}"
    );
    assert!(out.contains("checkpoints"), "{out}");
}

#[test]
fn sweep_prints_one_row_per_run() {
    let out = run_example("sweep", &[]);
    assert_eq!(out.lines().count(), 1 + 2 * 4 * 3, "{out}");
}
