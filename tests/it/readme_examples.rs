//! Every `vastplan ...` command in README.md runs: the lines of its code blocks that start
//! with `vastplan` or `cargo run ... --` (`cargo run --example` lines are library examples,
//! which `examples.rs` runs), and every inline `vastplan ...` span, also those in the
//! comments of the TOML blocks. None is skipped, so the README shows synopses without the
//! `vastplan` prefix and runnable examples with it. They run in a scratch directory holding
//! links to `datasets/`, `examples/` and `tests/` (sample result files), so relative paths
//! work and outputs land there.
//! The README's minimal scenario, pasted verbatim, must plan with no warning and find a
//! candidate that meets its targets.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn readme() -> String {
    fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap()
}

/// The commands (arguments after `vastplan`) the README shows, in order, deduplicated.
fn commands(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |c: String| {
        if !out.contains(&c) {
            out.push(c);
        }
    };
    let mut fence: Option<String> = None;
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(lang) = t.strip_prefix("```") {
            fence = match fence {
                Some(_) => None,
                None => Some(lang.trim().to_string()),
            };
            continue;
        }
        if fence.as_deref().is_some_and(|l| l != "toml") {
            if let Some(rest) = t.strip_prefix("vastplan ") {
                push(rest.trim().to_string());
            } else if t.starts_with("cargo run --example") {
                // Library examples, not vastplan commands: tests/it/examples.rs runs them.
            } else if t.starts_with("cargo run") {
                let (_, rest) = t.split_once(" -- ").expect("cargo run ... -- ARGS");
                push(rest.trim().to_string());
            }
        }
        // Inline spans, inside and outside code blocks (TOML comments cite commands too).
        let mut rest = line;
        while let Some(i) = rest.find("`vastplan ") {
            let after = &rest[i + "`vastplan ".len()..];
            let end = after.find('`').expect("closed code span");
            push(after[..end].trim().to_string());
            rest = &after[end + 1..];
        }
    }
    out
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(d.join("docs")).unwrap();
    for dir in ["datasets", "examples", "tests"] {
        std::os::unix::fs::symlink(Path::new(ROOT).join(dir), d.join(dir)).unwrap();
    }
    d
}

fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_vastplan"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn the_extractor_finds_fenced_and_inline_commands() {
    let t = "text `vastplan shapes` and `cargo test`\n```\ncargo run --release -- size --logical-pb 1\n\
             vastplan ratio --gpu H100\n```\n```toml\nx = 1   # from `vastplan shapes --clients`\n```\n";
    assert_eq!(
        commands(t),
        [
            "shapes",
            "size --logical-pb 1",
            "ratio --gpu H100",
            "shapes --clients"
        ]
    );
}

#[test]
fn every_readme_command_runs() {
    let cmds = commands(&readme());
    assert!(cmds.len() >= 15, "{cmds:?}");
    let dir = scratch("readme_commands");
    let mut failed = Vec::new();
    for c in &cmds {
        assert!(
            !c.contains(['"', '\'', '[', ']', '|', '<', '>']) && !c.contains("..."),
            "not a runnable command: vastplan {c}"
        );
        let args: Vec<&str> = c.split_whitespace().collect();
        let (code, out, err) = run_in(&dir, &args);
        if code != 0 {
            failed.push(format!("vastplan {c}: exit {code}: {err}"));
            continue;
        }
        // `merge` writes its file and says nothing; every other command answers.
        if args[0] != "merge" {
            assert!(!out.trim().is_empty(), "vastplan {c}: printed nothing");
        }
        assert!(!err.contains("warning:"), "vastplan {c}: {err}");
        // A storage-per-GPU table must say something: at least one row reachable.
        if args[0] == "ratio" {
            let mut csv = args.clone();
            csv.extend(["--format", "csv"]);
            let (_, out, _) = run_in(&dir, &csv);
            let mut r = csv::Reader::from_reader(out.as_bytes());
            let col = r
                .headers()
                .unwrap()
                .iter()
                .position(|h| h == "nodes_for_bandwidth")
                .unwrap();
            assert!(
                r.records().any(|rec| !rec.unwrap()[col].is_empty()),
                "vastplan {c}: every row unreachable\n{out}"
            );
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// The first TOML block that is a scenario (it has a `[request]` section).
fn minimal_scenario(text: &str) -> String {
    let mut blocks = text.split("```toml\n").skip(1);
    blocks
        .find_map(|b| {
            let body = b.split("```").next().unwrap();
            body.contains("[request]").then(|| body.to_string())
        })
        .expect("a scenario TOML block")
}

#[test]
fn the_minimal_scenario_plans_and_meets_its_targets() {
    let dir = scratch("readme_scenario");
    let f = dir.join("my-request.toml");
    fs::write(&f, minimal_scenario(&readme())).unwrap();
    let (code, out, err) = run_in(&dir, &["plan", "my-request.toml", "--days", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning:"), "{err}");
    assert!(out.contains("Recommended:"), "{out}");
    assert!(
        out.lines().any(|l| l.contains(" met ")),
        "no candidate meets the targets:\n{out}"
    );
}
