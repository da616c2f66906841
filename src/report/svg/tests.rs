//! Structural tests: every chart must parse as XML, with one mark per datum.

use super::*;

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("invalid SVG ({e}):\n{svg}"))
}

fn count(doc: &roxmltree::Document, tag: &str, class: &str) -> usize {
    doc.descendants()
        .filter(|n| n.has_tag_name(tag) && n.attribute("class") == Some(class))
        .count()
}

fn texts(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

/// Checks what every chart must satisfy: the fixed canvas, readable fonts, and no text
/// anchored outside the canvas.
fn check_common(doc: &roxmltree::Document) {
    let root = doc.root_element();
    assert_eq!(root.attribute("viewBox"), Some("0 0 960 540"));
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let size: f64 = t.attribute("font-size").unwrap().parse().unwrap();
        assert!(size >= 14.0, "font too small: {t:?}");
        let x: f64 = t.attribute("x").unwrap().parse().unwrap();
        let y: f64 = t.attribute("y").unwrap().parse().unwrap();
        assert!(
            (0.0..=960.0).contains(&x) && (0.0..=540.0).contains(&y),
            "{t:?}"
        );
    }
}

fn line_chart(series: Vec<Series>) -> LineChart {
    let mut c = LineChart::new(
        "GPU utilisation",
        Axis::new("Time", Unit::plain("h")),
        Axis::new("Utilisation", Unit::Percent),
    );
    c.series = series;
    c
}

#[test]
fn line_chart_has_one_polyline_per_series_and_a_legend() {
    let mut c = line_chart(vec![
        Series::new("a", vec![(0.0, 0.5), (1.0, 0.9), (2.0, 0.8)]),
        Series::new("b", vec![(0.0, 0.2), (2.0, 0.4)]),
        Series::new("c", vec![(0.5, 0.1), (1.5, 0.3)]),
    ]);
    c.y_refs.push(RefLine::new(0.9, "floor 90 %"));
    let svg = c.to_svg();
    let doc = parse(&svg);
    check_common(&doc);
    assert_eq!(count(&doc, "polyline", "series"), 3);
    assert_eq!(count(&doc, "line", "legend"), 3);
    assert_eq!(count(&doc, "line", "ref"), 1);
    let t = texts(&doc);
    assert!(t.contains(&"Utilisation (%)".to_string()));
    assert!(t.contains(&"Time (h)".to_string()));
    assert!(t.contains(&"floor 90 %".to_string()));
    assert!(t.contains(&"100".to_string()));
}

#[test]
fn single_series_has_no_legend_and_step_mode_doubles_points() {
    let mut c = line_chart(vec![Series::new(
        "only",
        vec![(0.0, 1.0), (1.0, 2.0), (2.0, 3.0)],
    )]);
    c.step = true;
    let svg = c.to_svg();
    let doc = parse(&svg);
    assert_eq!(count(&doc, "line", "legend"), 0);
    let pl = doc
        .descendants()
        .find(|n| n.has_tag_name("polyline"))
        .unwrap();
    assert_eq!(pl.attribute("points").unwrap().split(' ').count(), 5);
}

#[test]
fn hostile_names_cannot_break_the_markup() {
    let c = line_chart(vec![
        Series::new("<a&b>", vec![(0.0, 1.0), (1.0, 2.0)]),
        Series::new("\"quoted\" 'x' \u{1}", vec![(0.0, 2.0), (1.0, 1.0)]),
    ]);
    let mut c = c;
    c.title = "</svg><script>alert(1)</script>".into();
    let svg = c.to_svg();
    assert!(!svg.contains("<script"));
    let doc = parse(&svg);
    assert_eq!(count(&doc, "polyline", "series"), 2);
    let t = texts(&doc);
    assert!(t.contains(&"<a&b>".to_string()), "{t:?}");
    assert!(t.contains(&"\"quoted\" 'x' ".to_string()), "{t:?}");
}

#[test]
fn empty_and_non_finite_data_say_no_data() {
    let charts: Vec<Box<dyn Chart>> = vec![
        Box::new(line_chart(vec![])),
        Box::new(line_chart(vec![Series::new(
            "nan",
            vec![(f64::NAN, 1.0), (0.0, f64::INFINITY)],
        )])),
        Box::new(BarChart::new("b", Axis::default(), vec![])),
        Box::new(
            BarChart::new("b", Axis::default(), vec!["x".into()]).with_series("s", vec![f64::NAN]),
        ),
        Box::new(Histogram::new("h", Axis::default(), vec![])),
        Box::new(CdfChart::new("c", Axis::default()).with_sample("s", vec![f64::NEG_INFINITY])),
    ];
    for c in charts {
        let svg = c.to_svg();
        let doc = parse(&svg);
        check_common(&doc);
        assert!(texts(&doc).contains(&"no data".to_string()), "{svg}");
        assert_eq!(
            count(&doc, "polyline", "series") + count(&doc, "rect", "bar"),
            0
        );
    }
}

#[test]
fn non_finite_points_are_dropped_not_drawn() {
    let c = line_chart(vec![Series::new(
        "s",
        vec![
            (0.0, 1.0),
            (1.0, f64::NAN),
            (2.0, 2.0),
            (f64::INFINITY, 3.0),
            (3.0, 1.5),
        ],
    )]);
    let svg = c.to_svg();
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    let doc = parse(&svg);
    let pl = doc
        .descendants()
        .find(|n| n.has_tag_name("polyline"))
        .unwrap();
    assert_eq!(pl.attribute("points").unwrap().split(' ').count(), 3);
}

#[test]
fn single_point_gets_a_marker() {
    let doc_src = line_chart(vec![Series::new("s", vec![(5.0, 0.5)])]).to_svg();
    let doc = parse(&doc_src);
    check_common(&doc);
    assert_eq!(count(&doc, "polyline", "series"), 1);
    assert_eq!(count(&doc, "circle", "marker"), 1);
}

#[test]
fn all_zero_values_give_a_unit_axis() {
    let c = BarChart::new(
        "zeros",
        Axis::new("Cost", Unit::Usd),
        vec!["a".into(), "b".into()],
    )
    .with_series("s", vec![0.0, 0.0]);
    let doc_src = c.to_svg();
    let doc = parse(&doc_src);
    check_common(&doc);
    assert_eq!(count(&doc, "rect", "bar"), 2);
    let t = texts(&doc);
    assert!(
        t.contains(&"0.0".to_string()) && t.contains(&"1.0".to_string()),
        "{t:?}"
    );
}

#[test]
fn grouped_bars_one_rect_per_value_and_negatives_hang_below_zero() {
    let cats: Vec<String> = ["L80s v3 × 24", "Ceres × 8", "Blob premium"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut c = BarChart::new(
        "Delivered vs demanded",
        Axis::new("Read", Unit::si("B/s")),
        cats,
    )
    .with_series("delivered", vec![300e9, 450e9, f64::NAN])
    .with_series("demanded", vec![400e9, 400e9, 400e9])
    .with_series("margin", vec![-100e9, 50e9]);
    c.y_refs.push(RefLine::new(400e9, "demanded 400 GB/s"));
    let svg = c.to_svg();
    let doc = parse(&svg);
    check_common(&doc);
    // 3 categories × 3 series, less one NaN and one missing value.
    assert_eq!(count(&doc, "rect", "bar"), 7);
    assert_eq!(count(&doc, "rect", "legend"), 3);
    assert!(texts(&doc).contains(&"Read (GB/s)".to_string()));
    assert_eq!(count(&doc, "line", "zero"), 1);
    let zero_y: f64 = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("zero"))
        .and_then(|n| n.attribute("y1"))
        .unwrap()
        .parse()
        .unwrap();
    let neg = doc
        .descendants()
        .find(|n| {
            n.attribute("class") == Some("bar")
                && n.children()
                    .any(|t| t.text().is_some_and(|s| s.contains("margin: -100")))
        })
        .expect("negative bar");
    let top: f64 = neg.attribute("y").unwrap().parse().unwrap();
    assert!(
        (top - zero_y).abs() < 0.11,
        "negative bar starts at zero line"
    );
}

#[test]
fn histogram_bins_with_nice_edges() {
    let values: Vec<f64> = (0..100)
        .map(|i| i as f64 * 0.37)
        .chain([f64::NAN])
        .collect();
    let h = Histogram::new(
        "Checkpoint time",
        Axis::new("Duration", Unit::si("s")),
        values,
    );
    let svg = h.to_svg();
    let doc = parse(&svg);
    check_common(&doc);
    let (start, width, counts) = dist::bin(&[0.0, 36.63], Some(8));
    assert_eq!(start, 0.0);
    assert_eq!(width, 5.0);
    assert_eq!(counts.len(), 8);
    let bars = count(&doc, "rect", "bar");
    assert!((5..=10).contains(&bars), "{bars}");
    // Single distinct value: one bin.
    let one = Histogram::new("one", Axis::default(), vec![7.0; 3]).to_svg();
    assert_eq!(count(&parse(&one), "rect", "bar"), 1);
}

#[test]
fn cdf_one_step_line_per_sample() {
    let mut c = CdfChart::new("Checkpoint completion", Axis::new("Time", Unit::si("s")))
        .with_sample("L80s v3", (1..=50).map(|i| i as f64).collect())
        .with_sample("Ceres", vec![3.0; 10])
        .with_sample("empty", vec![]);
    c.x_refs.push(RefLine::new(40.0, "deadline 40 s"));
    let doc_src = c.to_svg();
    let doc = parse(&doc_src);
    check_common(&doc);
    assert_eq!(count(&doc, "polyline", "series"), 2);
    assert_eq!(count(&doc, "line", "legend"), 3);
    assert!(texts(&doc).contains(&"Share of samples ≤ x (%)".to_string()));
}

#[test]
fn output_is_deterministic() {
    let build = || {
        let mut c = line_chart(vec![
            Series::new(
                "x",
                (0..500)
                    .map(|i| (i as f64 * 0.1, (i as f64).sin().abs()))
                    .collect(),
            ),
            Series::new("y", (0..500).map(|i| (i as f64 * 0.1, 0.5)).collect()),
        ]);
        c.y_refs.push(RefLine::new(0.9, "floor"));
        c.to_svg()
    };
    assert_eq!(build(), build());
}

#[test]
fn many_categories_and_long_labels_stay_on_canvas() {
    let cats: Vec<String> = (0..24)
        .map(|i| format!("Candidate with a very long descriptive name number {i}"))
        .collect();
    let c = BarChart::new("Many", Axis::new("Racks", Unit::plain("racks")), cats)
        .with_series("racks", (0..24).map(|i| i as f64 * 1000.0).collect());
    let doc_src = c.to_svg();
    let doc = parse(&doc_src);
    check_common(&doc);
    assert_eq!(count(&doc, "rect", "bar"), 24);
    let slanted: Vec<String> = doc
        .descendants()
        .filter(|n| {
            n.attribute("transform")
                .is_some_and(|t| t.starts_with("rotate(-40"))
        })
        .map(|n| n.text().unwrap_or("").to_string())
        .collect();
    assert_eq!(slanted.len(), 24, "narrow categories are slanted");
    // The distinguishing end of each name survives truncation.
    assert!(slanted[23].ends_with("23"), "{slanted:?}");
    // Values do not fit on the narrow bars, so no bar carries one.
    assert!(!texts(&doc).contains(&"23,000".to_string()));
}

#[test]
fn reference_label_moves_off_the_data() {
    // Data hug the space just above the line along its whole length, so the label must
    // go below it.
    let mut c = line_chart(vec![Series::new(
        "busy",
        (0..=100).map(|i| (i as f64, 0.95)).collect(),
    )]);
    c.y_refs.push(RefLine::new(0.9, "floor"));
    let svg = c.to_svg();
    let doc = parse(&svg);
    let line_y: f64 = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("ref"))
        .and_then(|n| n.attribute("y1"))
        .unwrap()
        .parse()
        .unwrap();
    let label = doc
        .descendants()
        .find(|n| n.has_tag_name("text") && n.text() == Some("floor"))
        .unwrap();
    let label_y: f64 = label.attribute("y").unwrap().parse().unwrap();
    assert!(label_y > line_y, "label at {label_y}, line at {line_y}");
}

#[test]
fn long_series_are_thinned_but_keep_their_extremes() {
    let mut pts: Vec<(f64, f64)> = (0..200_000).map(|i| (i as f64, 0.5)).collect();
    pts[123_457].1 = 0.01; // a single-sample dip must survive
    let svg = line_chart(vec![Series::new("long", pts)]).to_svg();
    assert!(svg.len() < 100_000, "svg is {} bytes", svg.len());
    let doc = parse(&svg);
    let pl = doc
        .descendants()
        .find(|n| n.has_tag_name("polyline"))
        .unwrap();
    let ys: Vec<f64> = pl
        .attribute("points")
        .unwrap()
        .split(' ')
        .map(|p| p.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    let max_y = ys.iter().copied().fold(f64::MIN, f64::max);
    let min_y = ys.iter().copied().fold(f64::MAX, f64::min);
    assert!(max_y - min_y > 100.0, "dip lost: {min_y}..{max_y}");
}
