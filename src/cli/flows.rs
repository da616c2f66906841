//! `vastplan flows`: runs a list of flows over a list of links with the max-min flow solver
//! and prints each flow's completion time.
//!
//! Inputs are two CSV files. LINKS: `id,bandwidth_bytes_per_s,latency_s`. FLOWS:
//! `id,start_s,size_bytes,route`, where the route is link ids separated by single spaces.
//! Output: `id,start_s,finish_s`, one row per flow in input order. Starts are placed on
//! the nearest nanosecond; finishes are exact f64 instants (the solver re-solves rates at
//! the exact instant each flow completes), also past the nanosecond clock's ~584 years.

use crate::error::CliError;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use vastplan_models::InputError;
use vastplan_sim::flow::{run_batch_exact, FlowNetwork, FlowSpec, ResourceId, TimedFlow};
use vastplan_sim::{SimDuration, SimTime};

#[derive(clap::Args, Debug)]
pub struct FlowsArgs {
    /// Links CSV: id,bandwidth_bytes_per_s,latency_s
    #[arg(long)]
    pub links: PathBuf,
    /// Flows CSV: id,start_s,size_bytes,route (route = link ids separated by single spaces)
    #[arg(long)]
    pub flows: PathBuf,
    /// Write results here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Times past this many seconds (~31 years) would come close to the u64-ns clock's range.
const MAX_SECONDS: f64 = 1e9;

pub fn run(args: FlowsArgs) -> Result<(), CliError> {
    let mut net = FlowNetwork::new();
    let link_ids = read_links(&args.links, &mut net)?;
    let (ids, starts, lines, flows) = read_flows(&args.flows, &link_ids)?;
    let finish = run_batch_exact(&mut net, &flows, &[], |_| {});
    // Every link has bandwidth > 0 and every size is finite, so a flow that never
    // completes is one whose finish overflows f64 seconds: an input error, found before
    // anything is written.
    let file = args.flows.display().to_string();
    for ((id, line), fin) in ids.iter().zip(&lines).zip(&finish) {
        if !fin.is_some_and(f64::is_finite) {
            return Err(InputError::new(
                &file,
                format!("flow `{id}` would finish past 1.8e308 s (size over its links' bandwidth)"),
            )
            .at_line(*line)
            .field("size_bytes")
            .into());
        }
    }

    // Results are made whole first: a file is then written at once (naming the path if
    // that fails), standard output streamed.
    let mut buf = Vec::new();
    let mut w = csv::Writer::from_writer(&mut buf);
    let csv_err = |e: csv::Error| CliError::Internal(format!("writing results: {e}"));
    w.write_record(["id", "start_s", "finish_s"])
        .map_err(csv_err)?;
    for ((id, start), fin) in ids.iter().zip(&starts).zip(&finish) {
        // The exact instant (rates change at these instants), not the nanosecond its
        // event fired on: comparable with simulators that keep time in floating point.
        let fin_s = fin.expect("checked above");
        // Shortest round-trip form; exponent notation past 1e16 s rather than 300 digits.
        let fin_s = if fin_s >= 1e16 {
            format!("{fin_s:e}")
        } else {
            fin_s.to_string()
        };
        w.write_record([id.as_str(), &start.to_string(), &fin_s])
            .map_err(csv_err)?;
    }
    w.flush()?;
    drop(w);
    match &args.out {
        Some(p) => crate::output::write_atomic(p, &buf),
        None => {
            let mut out = crate::output::stdout();
            out.write_all(&buf)?;
            out.flush()?;
            Ok(())
        }
    }
}

/// A CSV file opened with its header checked: the column index of each required field.
struct Table {
    file: String,
    reader: csv::Reader<std::fs::File>,
    cols: Vec<usize>,
}

fn open_table(path: &Path, fields: &[&str]) -> Result<Table, InputError> {
    let file = path.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| InputError::new(&file, format!("cannot open: {e}")))?;
    let header = reader.headers().map_err(|e| csv_error(&file, e))?.clone();
    let mut cols = Vec::with_capacity(fields.len());
    for &name in fields {
        match header.iter().position(|h| h == name) {
            Some(i) => cols.push(i),
            None => {
                return Err(InputError::new(&file, "missing column")
                    .at_line(1)
                    .field(name))
            }
        }
    }
    Ok(Table { file, reader, cols })
}

fn csv_error(file: &str, e: csv::Error) -> InputError {
    let line = e.position().map(|p| p.line() as usize);
    let msg = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        _ => e.to_string(),
    };
    let err = InputError::new(file, msg);
    match line {
        Some(l) => err.at_line(l),
        None => err,
    }
}

/// One data row: its line number and the required fields, in the order asked for.
fn rows(table: &mut Table) -> impl Iterator<Item = Result<(usize, Vec<String>), InputError>> + '_ {
    let file = table.file.clone();
    let cols = table.cols.clone();
    table.reader.records().map(move |rec| {
        let rec = rec.map_err(|e| csv_error(&file, e))?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let vals = cols
            .iter()
            .map(|&c| rec.get(c).unwrap_or("").to_string())
            .collect();
        Ok((line, vals))
    })
}

/// Parses a finite, non-negative number (positive if `positive`), at most `max`.
fn number(
    file: &str,
    line: usize,
    field: &str,
    s: &str,
    positive: bool,
    max: f64,
) -> Result<f64, InputError> {
    let err = |m: String| InputError::new(file, m).at_line(line).field(field);
    let v: f64 = s.parse().map_err(|_| err(format!("not a number: {s:?}")))?;
    if !v.is_finite() {
        return Err(err(format!("must be finite, got {s:?}")));
    }
    if v < 0.0 || (positive && v == 0.0) {
        let want = if positive { "positive" } else { "non-negative" };
        return Err(err(format!("must be {want}, got {s}")));
    }
    if v > max {
        return Err(err(format!("too large (over {max}), got {s}")));
    }
    Ok(v)
}

fn check_id(
    file: &str,
    line: usize,
    id: &str,
    seen: &HashMap<String, usize>,
) -> Result<(), InputError> {
    let err = |m: String| InputError::new(file, m).at_line(line).field("id");
    if id.is_empty() {
        return Err(err("empty id".into()));
    }
    if let Some(first) = seen.get(id) {
        return Err(err(format!("duplicate id `{id}` (first on line {first})")));
    }
    Ok(())
}

fn read_links(
    path: &Path,
    net: &mut FlowNetwork,
) -> Result<HashMap<String, ResourceId>, InputError> {
    let mut t = open_table(path, &["id", "bandwidth_bytes_per_s", "latency_s"])?;
    let file = t.file.clone();
    let mut lines = HashMap::new();
    let mut ids = HashMap::new();
    for row in rows(&mut t) {
        let (line, v) = row?;
        check_id(&file, line, &v[0], &lines)?;
        let bw = number(&file, line, "bandwidth_bytes_per_s", &v[1], true, f64::MAX)?;
        let lat = number(&file, line, "latency_s", &v[2], false, MAX_SECONDS)?;
        let r = net.add_resource(bw, SimDuration::from_secs_f64(lat));
        lines.insert(v[0].clone(), line);
        ids.insert(v[0].clone(), r);
    }
    Ok(ids)
}

/// Ids, start times as written, line numbers and the flows.
type Flows = (Vec<String>, Vec<f64>, Vec<usize>, Vec<TimedFlow>);

fn read_flows(path: &Path, links: &HashMap<String, ResourceId>) -> Result<Flows, InputError> {
    let mut t = open_table(path, &["id", "start_s", "size_bytes", "route"])?;
    let file = t.file.clone();
    let mut lines = HashMap::new();
    let (mut ids, mut starts, mut flines, mut flows) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for row in rows(&mut t) {
        let (line, v) = row?;
        check_id(&file, line, &v[0], &lines)?;
        let start = number(&file, line, "start_s", &v[1], false, MAX_SECONDS)?;
        let size = number(&file, line, "size_bytes", &v[2], false, f64::MAX)?;
        let route = parse_route(&v[3], links)
            .map_err(|m| InputError::new(&file, m).at_line(line).field("route"))?;
        lines.insert(v[0].clone(), line);
        ids.push(v[0].clone());
        starts.push(start);
        flines.push(line);
        flows.push(TimedFlow {
            start: SimTime::from_secs_f64(start),
            spec: FlowSpec::new(size, route),
        });
    }
    Ok((ids, starts, flines, flows))
}

fn parse_route(s: &str, links: &HashMap<String, ResourceId>) -> Result<Vec<ResourceId>, String> {
    if s.is_empty() {
        return Err("route is empty".into());
    }
    s.split(' ')
        .map(|tok| {
            if tok.is_empty() {
                Err("empty link id (leading, trailing or double space)".to_string())
            } else {
                links
                    .get(tok)
                    .copied()
                    .ok_or_else(|| format!("unknown link `{tok}`"))
            }
        })
        .collect()
}
