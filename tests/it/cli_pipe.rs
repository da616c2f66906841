//! A reader that stops early (`vastplan size ... | head -1`) ends the command quietly with
//! exit code 0, as for any Unix filter; other errors still print and set the exit code.

use std::path::Path;
use std::process::{ChildStdin, Command, Output, Stdio};

/// The write end of a pipe whose only reader has already exited: the first write to it
/// fails with EPIPE, every time (no race with a reader that might read first).
fn closed_pipe() -> ChildStdin {
    let mut reader = Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .expect("`true` runs");
    let write_end = reader.stdin.take().unwrap();
    reader.wait().unwrap();
    write_end
}

fn run_into_closed_pipe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vastplan"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::from(closed_pipe()))
        .stderr(Stdio::piped())
        .output()
        .expect("the vastplan binary runs")
}

#[test]
fn a_closed_pipe_ends_quietly_with_exit_0() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_pipe");
    std::fs::create_dir_all(&dir).unwrap();
    let (links, flows) = (dir.join("links.csv"), dir.join("flows.csv"));
    std::fs::write(&links, "id,bandwidth_bytes_per_s,latency_s\nl0,1e9,0\n").unwrap();
    std::fs::write(&flows, "id,start_s,size_bytes,route\nf0,0,1e9,l0\n").unwrap();
    let cases: [&[&str]; 4] = [
        &["size", "--logical-pb", "40"],
        &["shapes", "--format", "csv"],
        &[
            "plan",
            "datasets/scenarios/wave-40pb.toml",
            "--no-sim",
            "--format",
            "json",
        ],
        &[
            "flows",
            "--links",
            links.to_str().unwrap(),
            "--flows",
            flows.to_str().unwrap(),
        ],
    ];
    for args in cases {
        let out = run_into_closed_pipe(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: stderr {err:?}");
    }
}

#[test]
fn other_errors_still_count_when_stdout_is_closed() {
    let out = run_into_closed_pipe(&["size", "--logical-pb", "40", "--shape", "no-such-shape"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("no-such-shape"), "{err}");
}
