//! Renders a sample report with every chart kind in real headless Chromium and checks
//! what a reader would get: the page loads without console errors (the page's CSP turns
//! any attempted network fetch or script into one), every chart reaches the DOM, and the
//! screenshot is a real picture rather than a blank page.
//!
//! Chromium is required, not optional: when it is not on PATH the test installs it with
//! `scripts/ensure-chromium.sh` (see `common::chromium`). Set `CHROMIUM` to use a binary
//! that is not `chromium` on PATH.

use crate::common::{check_screenshot, run_chromium};
use std::fs;
use std::path::Path;

use vastplan::report::format::{fmt_bytes, fmt_bytes_per_s, fmt_fixed, fmt_pct, fmt_si, fmt_usd};
use vastplan::report::{
    Axis, BarChart, CdfChart, Histogram, LineChart, Page, RefLine, Series, Table, Unit,
};

/// A deterministic stand-in for simulator output: a fixed-seed LCG, so the test needs
/// no random-number crate and renders the same picture every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

const CANDIDATES: [&str; 4] = [
    "L80aos v5 × 64",
    "Ceres DBox × 6 + 12 CNodes",
    "EBox × 20",
    "Azure Blob premium",
];

/// Builds the sample page; returns it with the number of charts it embeds.
fn sample_page() -> (Page, usize) {
    let mut rng = Lcg(42);
    let mut page = Page::new("Sizing proposal: 40 PB, 400 GB/s for 8,192 GPUs");
    page.subtitle("Sample report rendered by the vastplan report layer")
        .meta("Scenario", "wave-40pb.toml")
        .meta("Seed", "42")
        .meta("Least-confident input", "estimate");
    let mut charts = 0;

    page.section("Candidates side by side");
    let src = page.note("Azure retail price list (sample figures, not real quotes).");
    page.paragraph(format!(
        "Each candidate is sized to 40 PB logical at the demanded read bandwidth {src}."
    ));
    let cost = [1_950_000.0, 1_240_000.0, 1_310_000.0, 2_600_000.0];
    let delivered = [512e9, 430e9, 388e9, 160e9];
    let mut t = Table::new([
        "Candidate",
        "Racks",
        "Power",
        "Read",
        "$/month",
        "Bottleneck",
    ])
    .with_caption("Closed-form sizing");
    for (i, c) in CANDIDATES.iter().enumerate() {
        t.row([
            c.to_string(),
            fmt_fixed([12.0, 4.0, 5.0, f64::NAN][i], 0),
            [Some(410e3), Some(96e3), Some(120e3), None][i]
                .map(|w| fmt_si(w, "W"))
                .unwrap_or_else(|| "n/a".into()),
            fmt_bytes_per_s(delivered[i]),
            fmt_usd(cost[i]),
            ["VM egress cap", "CNode CPU", "DBox NVMe", "account limit"][i].to_string(),
        ]);
    }
    page.table(t);

    let cats: Vec<String> = CANDIDATES.iter().map(|s| s.to_string()).collect();
    let bar = BarChart::new(
        "Monthly cost per candidate",
        Axis::new("Cost", Unit::Usd),
        cats.clone(),
    )
    .with_series("$/month", cost.to_vec());
    page.chart(&bar, "Monthly cost, list prices.");
    charts += 1;

    let mut grouped = BarChart::new(
        "Delivered vs demanded read throughput",
        Axis::new("Read throughput", Unit::si("B/s")),
        cats,
    )
    .with_series("delivered (simulated)", delivered.to_vec())
    .with_series("closed-form bottleneck", vec![520e9, 440e9, 400e9, 180e9]);
    grouped.x_label = "Candidate".into();
    grouped
        .y_refs
        .push(RefLine::new(400e9, "demanded 400 GB/s"));
    page.chart(
        &grouped,
        "Simulated steady state against the analytic bottleneck.",
    );
    charts += 1;

    page.section("Under load");
    let mut util = LineChart::new(
        "GPU utilisation through a checkpoint burst and a node failure",
        Axis::new("Simulated time", Unit::plain("h")),
        Axis::new("GPU utilisation", Unit::Percent),
    );
    for (k, name) in CANDIDATES.iter().take(3).enumerate() {
        let pts = (0..=240)
            .map(|i| {
                let t = i as f64 * 0.1;
                let dip = if (t % 4.0) < 0.3 {
                    0.25 + 0.1 * k as f64
                } else {
                    0.0
                };
                let fail = if t > 14.0 && t < 17.0 && k == 2 {
                    0.2
                } else {
                    0.0
                };
                (t, (0.97 - dip - fail - 0.02 * rng.next()).max(0.0))
            })
            .collect();
        util.series.push(Series::new(*name, pts));
    }
    util.y_refs
        .push(RefLine::new(0.9, "utilisation floor 90 %"));
    util.x_refs.push(RefLine::new(14.0, "node lost"));
    page.chart(&util, "");
    charts += 1;

    let mut res = LineChart::new(
        "Binding resources, L80aos v5 × 64",
        Axis::new("Simulated time", Unit::plain("h")),
        Axis::new("Utilisation", Unit::Percent),
    );
    res.step = true;
    for (name, base) in [("VM egress", 0.82), ("NVMe", 0.55), ("leaf uplink", 0.35)] {
        let pts = (0..=48)
            .map(|i| (i as f64 * 0.5, (base + 0.15 * rng.next()).min(1.0)))
            .collect();
        res.series.push(Series::new(name, pts));
    }
    page.chart(&res, "Sampled every 30 simulated minutes; drawn as steps.");
    charts += 1;

    page.section("Checkpoints");
    let times: Vec<f64> = (0..400)
        .map(|_| 20.0 + 25.0 * rng.next() * rng.next())
        .collect();
    let mut hist = Histogram::new(
        "Checkpoint write time, L80aos v5 × 64",
        Axis::new("Time to persist", Unit::si("s")),
        times.clone(),
    );
    hist.x_refs.push(RefLine::new(40.0, "deadline 40 s"));
    page.chart(&hist, "400 synchronous checkpoints of 1.2 TB.");
    charts += 1;

    let mut cdf = CdfChart::new(
        "Checkpoint write time distribution",
        Axis::new("Time to persist", Unit::si("s")),
    )
    .with_sample(CANDIDATES[0], times)
    .with_sample(
        CANDIDATES[1],
        (0..400).map(|_| 24.0 + 12.0 * rng.next()).collect(),
    );
    cdf.x_refs.push(RefLine::new(40.0, "deadline 40 s"));
    cdf.y_refs.push(RefLine::new(0.99, "p99"));
    page.chart(&cdf, "");
    charts += 1;

    let empty = LineChart::new(
        "Restore after GPU interruption (not simulated in this scenario)",
        Axis::new("Time", Unit::si("s")),
        Axis::new("Read", Unit::si("B/s")),
    );
    page.chart(
        &empty,
        "Charts without data say so instead of disappearing.",
    );
    charts += 1;

    page.paragraph(format!(
        "Usable capacity {} at a GPU-side efficiency of {}.",
        fmt_bytes(40e15),
        fmt_pct(0.943, 1)
    ));
    page.note("Assumption: data-reduction ratio 1.5:1 for training data.");
    (page, charts)
}

#[test]
fn sample_report_renders_in_headless_chromium() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report_browser");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let (page, n_charts) = sample_page();
    let html_path = dir.join("report.html");
    page.write_to(&html_path).unwrap();
    let html = fs::read_to_string(&html_path).unwrap();
    assert_eq!(
        html,
        sample_page().0.to_html(),
        "report is not deterministic"
    );
    assert_eq!(html.matches("<svg").count(), n_charts);

    let png_path = dir.join("report.png");
    let (status, dom, log) = run_chromium(&dir, &html_path, &png_path);
    assert!(
        status.success(),
        "chromium exited with {status}; log:\n{log}"
    );

    // Console messages (script errors, CSP violations from any attempted fetch) are
    // logged as "...:CONSOLE..." lines; the browser's own D-Bus noise is not.
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(
        console.is_empty(),
        "console messages:\n{}",
        console.join("\n")
    );

    assert!(dom.contains("<h1>Sizing proposal: 40 PB, 400 GB/s for 8,192 GPUs</h1>"));
    assert_eq!(dom.matches("<svg").count(), n_charts, "charts in the DOM");
    assert_eq!(dom.matches("<table").count(), 1);
    assert_eq!(dom.matches("<figure").count(), n_charts);
    assert!(dom.contains(">no data<"));
    assert!(!dom.contains("<script"));

    check_screenshot(&png_path);
}

/// Measures the loaded page and writes what it finds into the DOM, for `--dump-dom` to
/// carry out: any element wider than the viewport or scrolling sideways (a table behind a
/// scrollbar), any chart text outside its chart, and any two chart labels on top of each
/// other. The report itself runs no script (its CSP forbids it); the test measures a copy.
const LAYOUT_PROBE: &str = r#"<script>
(function () {
  var W = document.documentElement.clientWidth, bad = [];
  function name(el) {
    var t = el.tagName.toLowerCase();
    var s = (el.textContent || '').trim().slice(0, 60);
    return t + (el.className && el.className.baseVal === undefined ? '.' + el.className : '') + ' "' + s + '"';
  }
  if (document.documentElement.scrollWidth > W) {
    bad.push('page is ' + document.documentElement.scrollWidth + ' px wide at ' + W);
  }
  document.querySelectorAll('body *').forEach(function (el) {
    if (el.closest('svg') || el.tagName.toLowerCase() === 'script') return;
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > W + 0.5) bad.push('overflows the page: ' + name(el) + ' ends at ' + Math.round(r.right));
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) bad.push('scrolls sideways: ' + name(el) + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
  });
  document.querySelectorAll('svg').forEach(function (svg) {
    var box = svg.getBoundingClientRect();
    var title = (svg.querySelector('title') || {}).textContent;
    var texts = [];
    svg.querySelectorAll('text').forEach(function (t) {
      var r = t.getBoundingClientRect();
      if (r.width === 0 || !t.textContent.trim()) return;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        bad.push('cut off in "' + title + '": "' + t.textContent + '"');
      }
      texts.push([t.textContent, r]);
    });
    for (var i = 0; i < texts.length; i++) {
      for (var j = i + 1; j < texts.length; j++) {
        var a = texts[i][1], b = texts[j][1];
        var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 2 && h > 4) bad.push('labels collide in "' + title + '": "' + texts[i][0] + '" / "' + texts[j][0] + '"');
      }
    }
  });
  var out = document.createElement('pre');
  out.id = 'layout-verdict';
  out.textContent = bad.length ? 'LAYOUT-BAD\n' + bad.join('\n') : 'LAYOUT-OK';
  document.body.appendChild(out);
})();
</script>"#;

/// Loads a copy of `html` with the layout probe at 1280 px; returns the probe's verdict.
/// The probe goes into the copy only: the report itself stays script-free.
fn layout_verdict(dir: &Path, html: &str, png: &Path) -> String {
    let probe = dir.join("probe.html");
    let with_probe = html
        .replace(
            "<meta http-equiv=\"Content-Security-Policy\"",
            "<meta name=\"csp-removed-for-the-probe\"",
        )
        .replace("</body>", &format!("{LAYOUT_PROBE}</body>"));
    fs::write(&probe, with_probe).unwrap();
    let (status, dom, log) = run_chromium(dir, &probe, png);
    assert!(status.success(), "chromium: {log}");
    dom.split("<pre id=\"layout-verdict\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or_else(|| panic!("the probe did not run; log:\n{log}"))
        .to_string()
}

/// Every other bundled scenario's report (closed form, with sensitivity) fits 1280 px
/// too: their candidates, targets and price-performance charts differ.
#[test]
fn every_bundled_scenario_report_fits_1280_px() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/scenarios");
    let mut names: Vec<String> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") && n != "wave-40pb.toml")
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    for name in names {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("report_browser_scenarios")
            .join(&name);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let (code, _, err) = crate::common::vastplan(&[
            "plan",
            &format!("datasets/scenarios/{name}"),
            "--no-sim",
            "--sensitivity",
            "--out",
            dir.to_str().unwrap(),
            "--quiet",
        ]);
        assert_eq!(code, 0, "{name}: {err}");
        let html = fs::read_to_string(dir.join("report.html")).unwrap();
        let verdict = layout_verdict(&dir, &html, &dir.join("report.png"));
        assert_eq!(verdict, "LAYOUT-OK", "{name} at 1280 px:\n{verdict}");
    }
}

/// Runs chromium once with a deadline; returns its exit status and stderr.
fn chromium_with(args: &[String], dir: &Path) -> (std::process::ExitStatus, String) {
    use std::process::{Command, Stdio};
    let err_path = dir.join("chromium-print.log");
    let mut child = Command::new(crate::common::chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.join("profile-print").display()
        ))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("chromium starts");
    let status = crate::common::wait_for_chromium(&mut child);
    (status, fs::read_to_string(&err_path).unwrap_or_default())
}

/// A real plan report (a bundled scenario, simulated briefly, with the sensitivity
/// section), loaded at 1280 px: nothing overflows the page or scrolls sideways, no chart
/// label is cut off or collides with another, and it prints to a PDF with pages.
#[test]
fn plan_report_fits_1280_px_and_prints() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report_browser_plan");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let (code, _, err) = crate::common::vastplan(&[
        "plan",
        "datasets/scenarios/wave-40pb.toml",
        "--days",
        "0.5",
        "--sensitivity",
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 0, "{err}");
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    // What a customer reads first, and the sections the issue asked for.
    let order = [
        ">Decision<",
        ">The request<",
        ">Targets<",
        ">Candidates side by side<",
        ">What the columns mean<",
        ">Cost<",
        ">Bill of materials<",
        ">Bandwidth<",
        ">Under load<",
        ">What the answer hangs on<",
        ">Assumptions and sources<",
    ];
    let mut at = 0;
    for h in order {
        let i = html[at..]
            .find(h)
            .unwrap_or_else(|| panic!("{h} missing or out of order"))
            + at;
        at = i;
    }
    assert!(
        html.contains("class=\"callout\""),
        "the decision stands out"
    );
    for chart in [
        "Monthly cost by part",
        "Checkpoint time: median, 99th percentile and worst",
        "GPU utilisation over time, one panel per candidate",
        "What moves ",
    ] {
        assert!(html.contains(chart), "{chart} missing");
    }
    assert!(!html.contains("Racks (racks)"));

    let png = dir.join("report.png");
    let verdict = layout_verdict(&dir, &html, &png);
    assert_eq!(verdict, "LAYOUT-OK", "at 1280 px:\n{verdict}");
    check_screenshot(&png);

    // Print to PDF as a reader would: A4 landscape from the page's own @page rule.
    let pdf = dir.join("report.pdf");
    let (status, log) = chromium_with(
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
            format!("file://{}", dir.join("report.html").display()),
        ],
        &dir,
    );
    assert!(status.success(), "chromium --print-to-pdf: {log}");
    let bytes = fs::read(&pdf).unwrap_or_else(|e| panic!("no PDF at {pdf:?}: {e}\n{log}"));
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let text = String::from_utf8_lossy(&bytes);
    // Page objects, not the page-tree nodes ("/Type /Pages").
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!(pages >= 3, "the PDF has {pages} pages");
}

/// `vastplan design`'s page: the frontier chart reaches the DOM with its points beside
/// today's shapes, no console errors, and the page fits 1280 px with no label cut off or
/// on top of another.
#[test]
fn design_page_renders_and_fits_1280_px() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report_browser_design");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let (code, _, err) = crate::common::vastplan(&[
        "design",
        "datasets/scenarios/ukmo.toml",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let html_path = dir.join("design.html");
    let png = dir.join("design.png");
    let (status, dom, log) = run_chromium(&dir, &html_path, &png);
    assert!(status.success(), "chromium: {log}");
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(
        console.is_empty(),
        "console messages:\n{}",
        console.join("\n")
    );
    assert_eq!(dom.matches("<svg").count(), 1, "the frontier chart");
    assert!(
        dom.matches("class=\"point series-0\"").count() > 5,
        "frontier points"
    );
    assert!(dom.contains("class=\"point series-1\""), "catalog points");
    assert!(dom.contains("class=\"point series-2\""), "the ask");
    assert!(dom.contains("<h1>The ask — ukmo</h1>"));
    check_screenshot(&png);
    let html = fs::read_to_string(&html_path).unwrap();
    let verdict = layout_verdict(&dir, &html, &dir.join("probe.png"));
    assert_eq!(verdict, "LAYOUT-OK", "design page at 1280 px:\n{verdict}");
}
