//! Helpers shared by the tests: find (or install) chromium, run it with a deadline, check a
//! screenshot, run the built binary.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The script that finds or installs chromium; the tests run it when they find none.
pub const ENSURE_CHROMIUM: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/ensure-chromium.sh");

/// The chromium binary: `CHROMIUM` if set, else `chromium` on PATH, else whatever
/// `scripts/ensure-chromium.sh` installs. The search (and any install) happens once per
/// test process; the script itself holds a lock file, so concurrent test processes do not
/// run apt twice. Never skips: without a browser the test fails, naming the script.
pub fn chromium() -> PathBuf {
    static FOUND: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match FOUND.get_or_init(find_or_install_chromium) {
        Ok(p) => p.clone(),
        Err(msg) => panic!("{msg}"),
    }
}

fn chromium_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("chromium"))
        .find(|p| p.is_file())
}

fn find_or_install_chromium() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Ok(PathBuf::from(p));
    }
    if let Some(p) = chromium_on_path() {
        return Ok(p);
    }
    let out = Command::new("sh")
        .arg(ENSURE_CHROMIUM)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("chromium not found, and {ENSURE_CHROMIUM} could not start: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let why = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    if !out.status.success() {
        return Err(format!(
            "chromium not found, and {ENSURE_CHROMIUM} could not install it ({why}): \
             run it as root, or set CHROMIUM=/path/to/chromium"
        ));
    }
    let found = chromium_on_path();
    if let Some(p) = &found {
        eprintln!(
            "chromium was not on PATH; {ENSURE_CHROMIUM} provided {}",
            p.display()
        );
    }
    found.ok_or_else(|| {
        format!(
            "{ENSURE_CHROMIUM} succeeded but chromium is not on this process's PATH: \
             set CHROMIUM=/path/to/chromium"
        )
    })
}

/// Runs chromium with a deadline, so a wedged browser fails the test instead of
/// hanging CI. Output goes to files: pipes could fill up and deadlock.
pub fn run_chromium(
    dir: &Path,
    html: &Path,
    png: &Path,
) -> (std::process::ExitStatus, String, String) {
    let profile = dir.join("profile");
    let out_path = dir.join("dom.html");
    let err_path = dir.join("chromium.log");
    let bin = chromium();
    let mut child = Command::new(&bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start chromium at {}: {e}; run {ENSURE_CHROMIUM} \
                 or point CHROMIUM at a chromium binary",
                bin.display()
            )
        });
    let status = wait_for_chromium(&mut child);
    let dom = fs::read_to_string(&out_path).unwrap();
    let log = fs::read_to_string(&err_path).unwrap();
    (status, dom, log)
}

/// The screenshot must be the window size, carry real content (a blank or error page
/// is nearly one colour) and use the chart palette.
pub fn check_screenshot(path: &Path) {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("no screenshot at {path:?}: {e}"));
    assert!(
        bytes.len() > 50_000,
        "screenshot only {} bytes",
        bytes.len()
    );
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1280, 2000));
    let channels = info.color_type.samples();
    assert!(
        channels >= 3,
        "unexpected colour type {:?}",
        info.color_type
    );
    let pixels = buf[..info.buffer_size()].chunks(channels);
    let mut colours = BTreeSet::new();
    let (mut non_white, mut total, mut blue) = (0usize, 0usize, 0usize);
    for p in pixels {
        let rgb = (p[0], p[1], p[2]);
        colours.insert(rgb);
        total += 1;
        if rgb != (255, 255, 255) {
            non_white += 1;
        }
        // The first palette colour, #0072B2, allowing for anti-aliasing.
        if p[0] < 40 && (100..140).contains(&p[1]) && (160..200).contains(&p[2]) {
            blue += 1;
        }
    }
    assert!(
        colours.len() > 50,
        "only {} distinct colours",
        colours.len()
    );
    let frac = non_white as f64 / total as f64;
    assert!(frac > 0.03, "page is {:.1} % non-white", frac * 100.0);
    assert!(
        blue > 2_000,
        "chart colours missing ({blue} palette-blue pixels)"
    );
}

/// Runs the built binary from the repository root; returns exit code, stdout, stderr.
pub fn vastplan(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vastplan"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the vastplan binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs the built binary from a directory outside the repository, pointing it at the
/// shipped datasets with `--datasets`: proves the commands do not depend on the cwd.
pub fn vastplan_elsewhere(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vastplan"))
        .arg("--datasets")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/datasets"))
        .args(args)
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap()
}

pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Waits for a headless chromium, killing it (and failing the test) after 90 s: a hung
/// browser must not hang the suite.
pub fn wait_for_chromium(child: &mut std::process::Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
