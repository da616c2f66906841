//! End-to-end tests of `vastplan flows`: the built binary on small CSV files.

use std::path::PathBuf;
use std::process::{Command, Output};

const LINKS: &str = "id,bandwidth_bytes_per_s,latency_s\n\
                     l0,1e9,0\n\
                     l1,2000000000,0\n\
                     l2,1e9,0\n\
                     wan,1e9,0.5\n";

const FLOWS: &str = "id,start_s,size_bytes,route\n\
                     long,0,1e9,l0 l1 l2\n\
                     s0,0,1e9,l0\n\
                     s1,0,1.5e9,l1\n\
                     s2,0.0,1e9,l2\n\
                     late,0.25,5e8,wan\n";

/// A fresh directory per test case, so cases can run in parallel.
fn dir(case: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("vastplan-cli-flows-{}-{case}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(case: &str, links: &str, flows: &str, extra: &[&str]) -> (Output, PathBuf, PathBuf) {
    let d = dir(case);
    let (lp, fp) = (d.join("links.csv"), d.join("flows.csv"));
    std::fs::write(&lp, links).unwrap();
    std::fs::write(&fp, flows).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vastplan"))
        .arg("flows")
        .arg("--links")
        .arg(&lp)
        .arg("--flows")
        .arg(&fp)
        .args(extra)
        .output()
        .unwrap();
    (out, lp, fp)
}

#[test]
fn parking_lot_and_latency_give_exact_times() {
    let (out, _, _) = run("ok", LINKS, FLOWS, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Long flow and s0/s2 share l0/l2 at 0.5 GB/s; s1 gets the other 1.5 GB/s of l1;
    // `late` waits 0.5 s of latency, then moves 0.5 GB at 1 GB/s.
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "id,start_s,finish_s\nlong,0,2\ns0,0,2\ns1,0,1\ns2,0,2\nlate,0.25,1.25\n"
    );
}

#[test]
fn out_flag_writes_the_file() {
    let d = dir("out");
    let res = d.join("res.csv");
    let (out, _, _) = run("out", LINKS, FLOWS, &["--out", res.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(res).unwrap();
    assert!(text.starts_with("id,start_s,finish_s\nlong,0,2\n"));
}

#[test]
fn non_round_times_print_in_shortest_form() {
    let links = "id,bandwidth_bytes_per_s,latency_s\nl,3e9,0.000001\n";
    let flows = "id,start_s,size_bytes,route\na,0.1,1e9,l\n";
    let (out, _, _) = run("round", links, flows, &[]);
    // 0.1 + 1e-6 + 1/3 s exactly (the event fires on the next nanosecond, but the
    // reported time is the exact end of the transfer), in shortest round-trip form.
    let want = 0.100001f64 + 1.0 / 3.0;
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("id,start_s,finish_s\na,0.1,{want}\n")
    );
    assert_eq!(want.to_string(), "0.4333343333333333");
}

/// Each bad input: (case, which file is bad, links, flows, line, field, words in message).
#[test]
fn bad_inputs_exit_2_naming_file_line_and_field() {
    let good_flows = "id,start_s,size_bytes,route\nf,0,1,l0\n";
    let cases: &[(&str, bool, &str, &str, usize, &str, &str)] = &[
        (
            "unknown-link",
            false,
            LINKS,
            "id,start_s,size_bytes,route\nf,0,1,l0 nope\n",
            2,
            "route",
            "unknown link `nope`",
        ),
        (
            "dup-link",
            true,
            "id,bandwidth_bytes_per_s,latency_s\nl0,1,0\nl0,2,0\n",
            good_flows,
            3,
            "id",
            "duplicate",
        ),
        (
            "dup-flow",
            false,
            LINKS,
            "id,start_s,size_bytes,route\nf,0,1,l0\ng,0,1,l0\nf,0,1,l0\n",
            4,
            "id",
            "duplicate",
        ),
        (
            "neg-bw",
            true,
            "id,bandwidth_bytes_per_s,latency_s\nl0,-5,0\n",
            good_flows,
            2,
            "bandwidth_bytes_per_s",
            "positive",
        ),
        (
            "zero-bw",
            true,
            "id,bandwidth_bytes_per_s,latency_s\nl0,0,0\n",
            good_flows,
            2,
            "bandwidth_bytes_per_s",
            "positive",
        ),
        (
            "neg-latency",
            true,
            "id,bandwidth_bytes_per_s,latency_s\nl0,1,-1\n",
            good_flows,
            2,
            "latency_s",
            "non-negative",
        ),
        (
            "text-size",
            false,
            LINKS,
            "id,start_s,size_bytes,route\nf,0,big,l0\n",
            2,
            "size_bytes",
            "not a number",
        ),
        (
            "nan-start",
            false,
            LINKS,
            "id,start_s,size_bytes,route\nf,NaN,1,l0\n",
            2,
            "start_s",
            "finite",
        ),
        (
            "inf-size",
            false,
            LINKS,
            "id,start_s,size_bytes,route\nf,0,inf,l0\n",
            2,
            "size_bytes",
            "finite",
        ),
        (
            "neg-start",
            false,
            LINKS,
            "id,start_s,size_bytes,route\nf,-1,1,l0\n",
            2,
            "start_s",
            "non-negative",
        ),
        (
            "missing-col",
            true,
            "id,bandwidth_bytes_per_s\nl0,1\n",
            good_flows,
            1,
            "latency_s",
            "missing column",
        ),
        (
            "missing-route-col",
            false,
            LINKS,
            "id,start_s,size_bytes\nf,0,1\n",
            1,
            "route",
            "missing column",
        ),
        (
            "empty-route",
            false,
            LINKS,
            "id,start_s,size_bytes,route\nf,0,1,\n",
            2,
            "route",
            "empty",
        ),
        (
            "double-space",
            false,
            LINKS,
            "id,start_s,size_bytes,route\nf,0,1,l0  l1\n",
            2,
            "route",
            "double space",
        ),
        (
            "trailing-space",
            false,
            LINKS,
            "id,start_s,size_bytes,route\nf,0,1,l0 \n",
            2,
            "route",
            "trailing",
        ),
    ];
    for &(case, links_bad, links, flows, line, field, words) in cases {
        let (out, lp, fp) = run(case, links, flows, &[]);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{case}: {err}");
        assert!(out.stdout.is_empty(), "{case}: no partial output");
        let file = if links_bad { lp } else { fp };
        let want = format!("{}:{line}: field `{field}`: ", file.display());
        assert!(err.contains(&want), "{case}: {err:?} lacks {want:?}");
        assert!(err.contains(words), "{case}: {err:?} lacks {words:?}");
        assert_eq!(err.trim_end().lines().count(), 1, "{case}: one line");
        assert!(!err.contains("panicked"), "{case}");
    }
}

#[test]
fn a_ragged_row_names_its_line() {
    let (out, _, fp) = run(
        "ragged",
        LINKS,
        "id,start_s,size_bytes,route\nf,0,1,l0,extra\n",
        &[],
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains(&format!("{}:2: ", fp.display())), "{err}");
}

#[test]
fn finishes_past_the_nanosecond_clock_are_exact() {
    // 1e19 B at 1 GB/s: 1e10 s, past the u64-nanosecond clock (~1.8e10 s is its end, and
    // the event queue's horizon was ~9e9 s); 1e300 B: 1e291 s.
    let links = "id,bandwidth_bytes_per_s,latency_s\nl,1e9,0\nslow,1,0\nslow2,1,0\n";
    let flows = "id,start_s,size_bytes,route\nf1,0,1e19,l\nf2,1,1e10,slow\nf3,0,1e300,slow2\n";
    let (out, _, _) = run("far", links, flows, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "id,start_s,finish_s\nf1,0,10000000000\nf2,1,10000000001\nf3,0,1e300\n"
    );
}

#[test]
fn a_finish_overflowing_f64_is_an_input_error() {
    let links = "id,bandwidth_bytes_per_s,latency_s\nl,1e9,0\ntiny,1e-300,0\n";
    let flows = "id,start_s,size_bytes,route\nok,0,1,l\nf1,0,1e10,tiny\n";
    let (out, _, fp) = run("overflow", links, flows, &[]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    let want = format!("{}:3: field `size_bytes`: ", fp.display());
    assert!(err.contains(&want), "{err:?} lacks {want:?}");
    assert_eq!(err.trim_end().lines().count(), 1);
}

#[test]
fn many_flows_on_one_pair_of_links_scale_linearly() {
    // The bad-input review's quadratic case: every flow on the same two links, one start
    // per µs. They form one group, so each event costs O(log n): 20k flows took 72 s.
    let links = "id,bandwidth_bytes_per_s,latency_s\na,1e9,0\nb,1e9,0\n";
    let mut flows = String::from("id,start_s,size_bytes,route\n");
    for i in 0..20_000 {
        flows.push_str(&format!("f{i},{},1e6,a b\n", i as f64 * 1e-6));
    }
    let t0 = std::time::Instant::now();
    let (out, _, _) = run("one-link", links, &flows, &[]);
    let took = t0.elapsed();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 20_001);
    // All 2e10 B through one 1 GB/s pair: the last finishes at 20 s exactly.
    let last: f64 = text
        .lines()
        .last()
        .unwrap()
        .rsplit(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((last - 20.0).abs() <= 1e-9 * 20.0, "{last}");
    // Generous for a debug build on a shared machine (the release build takes ~0.1 s).
    assert!(took.as_secs_f64() < 20.0, "{took:?}");
}
