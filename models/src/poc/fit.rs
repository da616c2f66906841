//! Which catalog numbers the measured tests identify, and their values.
//!
//! Every test's closed-form result is a ceiling: the capacity of the pool that binds
//! divided by its load per client byte. In logs that is linear in the logs of the inputs
//! the binding pool rests on (elasticity 1 for a capacity such as a CNode's read budget
//! or the TCP efficiency, 0 for everything else), so the fit works on log multipliers: a
//! Gauss-Newton least-squares solve on log(measured) − log(predicted), with the Jacobian
//! taken by finite differences through the very prediction code (no second model).
//! Where the binding pool does not change it converges in one step.
//!
//! An input is identified when some measured test moves with it and its column adds rank
//! to those already chosen (least confident first). An input no test moves is left alone
//! ("no test binds on it"); one whose column another already spans is confounded (a TCP
//! test alone moves with budget × efficiency) and is left alone too, the chosen one
//! carrying the product.

use super::calibration::split_input;
use super::predict::{point, pools, value_of};
use super::suite::{PocTest, Setup};
use crate::catalog::{rules, Catalog};
use crate::error::InputError;
use crate::provenance::Confidence;
use crate::scenario::Scenario;
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

/// One measured result matched to a test.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    pub test: String,
    /// In the test's metric.
    pub value: f64,
    /// The result file (and field) it came from.
    pub source: String,
    /// Whether it measures a ceiling (an MLPerf run whose accelerators kept up did not
    /// saturate the storage: shown, not fitted).
    pub informs: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fitted {
    pub input: String,
    pub confidence_before: Confidence,
    pub before: f64,
    pub after: f64,
    /// Tests that move with it.
    pub tests: Vec<String>,
    /// Result files of those tests.
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unidentified {
    pub input: String,
    pub why: String,
}

/// Per test: the prediction before and after the fit, and what was measured.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub test: String,
    pub before: f64,
    pub after: f64,
    pub measured: Option<f64>,
    /// Whether the measurement entered the fit.
    pub used: bool,
}

#[derive(Clone, Debug)]
pub struct Fit {
    pub fitted: Vec<Fitted>,
    pub unidentified: Vec<Unidentified>,
    pub rows: Vec<Row>,
    /// The catalog with the fitted values, each `measured`.
    pub catalog: Catalog,
}

/// Relative step of the finite differences, in log space. Ceilings are piecewise
/// log-linear, so any small step gives the exact slope away from a kink.
const H: f64 = 1e-4;

struct Problem<'a> {
    cat: &'a Catalog,
    sc: &'a Scenario,
    file: &'a str,
    setup: &'a Setup,
    tests: Vec<&'a PocTest>,
}

impl Problem<'_> {
    /// log predictions of the used tests with `inputs` scaled by exp(m); `Err(input,
    /// value, why)` when a value breaks its rule.
    fn logs(&self, inputs: &[(String, f64)], m: &[f64]) -> Result<Vec<f64>, FitError> {
        let mut c = self.cat.clone();
        for ((name, base), x) in inputs.iter().zip(m) {
            let v = base * x.exp();
            let (id, field) = split_input(name);
            c.apply_override(id, field, v)
                .map_err(|e| FitError::Range(name.clone(), v, e.message))?;
        }
        self.tests
            .iter()
            .map(|t| {
                let p = point(&c, self.sc, self.file, self.setup, t)
                    .map_err(|e| FitError::Model(e.to_string()))?;
                Ok(p.value.max(f64::MIN_POSITIVE).ln())
            })
            .collect()
    }

    /// d log(prediction) / d log(input), one column per input, by a step down, or up
    /// where a step down leaves the input's valid range (a ratio already at its least);
    /// an input that can move neither way gets a zero column.
    fn jacobian(&self, inputs: &[(String, f64)], m: &[f64]) -> Result<DMatrix<f64>, FitError> {
        let f0 = self.logs(inputs, m)?;
        let mut j = DMatrix::zeros(self.tests.len(), inputs.len());
        for k in 0..inputs.len() {
            for h in [-H, H] {
                let mut mk = m.to_vec();
                mk[k] += h;
                match self.logs(inputs, &mk) {
                    Ok(fk) => {
                        for t in 0..self.tests.len() {
                            j[(t, k)] = (fk[t] - f0[t]) / h;
                        }
                        break;
                    }
                    Err(FitError::Range(..)) => continue,
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(j)
    }
}

enum FitError {
    Range(String, f64, String),
    Model(String),
}

fn rank(m: &DMatrix<f64>) -> usize {
    if m.ncols() == 0 {
        return 0;
    }
    let sv = m.clone().svd(false, false).singular_values;
    let top = sv.max();
    sv.iter().filter(|s| **s > top.max(1e-300) * 1e-6).count()
}

/// Fits the inputs the observations identify. `files` names the result files for errors
/// about the fit as a whole.
pub fn fit(
    cat: &Catalog,
    sc: &Scenario,
    file: &str,
    setup: &Setup,
    tests: &[PocTest],
    obs: &[Observation],
    files: &str,
) -> Result<Fit, InputError> {
    let measured = |id: &str| obs.iter().find(|o| o.test == id);
    let used: Vec<&PocTest> = tests
        .iter()
        .filter(|t| t.fits && measured(&t.id).is_some_and(|o| o.informs))
        .collect();
    if used.is_empty() {
        return Err(InputError::new(
            files,
            "no measured test informs a model parameter (random small-block reads are bounded \
             by bytes only and do not fit; measure a sequential, mixed, checkpoint, MLPerf or \
             rebuild test)",
        ));
    }
    let p = Problem {
        cat,
        sc,
        file,
        setup,
        tests: used.clone(),
    };
    // Candidates: every input a used test's pools rest on that takes fractions, least
    // confident first.
    let mut cands: Vec<(String, Confidence)> = Vec::new();
    for t in &used {
        for i in pools(cat, sc, file, setup, t.transport, t.clients)?.inputs {
            if !cands.iter().any(|c| c.0 == i.0) {
                cands.push(i);
            }
        }
    }
    cands.retain(|(n, _)| !rules::rule(split_input(n).1).integer && value_of(cat, n).is_some());
    cands.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let all: Vec<(String, f64)> = cands
        .iter()
        .map(|(n, _)| (n.clone(), value_of(cat, n).unwrap_or(1.0)))
        .collect();
    let err = |e: FitError| match e {
        FitError::Range(n, v, why) => InputError::new(
            files,
            format!(
                "ill-posed fit: {n} fitted to {} is out of range ({why})",
                rules::show(v)
            ),
        )
        .field(n),
        FitError::Model(m) => InputError::new(files, m),
    };
    let j0 = p.jacobian(&all, &vec![0.0; all.len()]).map_err(err)?;
    // An input fitted out of its range is blamed on the files of the tests it moves.
    let blame = |name: &str| -> String {
        let k = all.iter().position(|a| a.0 == name);
        let mut fs: Vec<String> = (0..used.len())
            .filter(|&t| k.is_some_and(|k| j0[(t, k)].abs() > 1e-9))
            .filter_map(|t| measured(&used[t].id).map(|o| o.source.clone()))
            .collect();
        fs.dedup();
        if fs.is_empty() {
            files.to_string()
        } else {
            fs.join(", ")
        }
    };
    let err = |e: FitError| match e {
        FitError::Range(n, v, why) => InputError::new(
            blame(&n),
            format!(
                "ill-posed fit: {n} fitted to {} is out of range ({why})",
                rules::show(v)
            ),
        )
        .field(n),
        FitError::Model(m) => InputError::new(files, m),
    };
    let mut chosen: Vec<usize> = Vec::new();
    let mut unidentified = Vec::new();
    for k in 0..all.len() {
        let col = j0.column(k);
        if col.iter().all(|x| x.abs() < 1e-9) {
            unidentified.push(Unidentified {
                input: all[k].0.clone(),
                why: "no measured test binds on it".into(),
            });
            continue;
        }
        let mut idx = chosen.clone();
        idx.push(k);
        let sub = j0.select_columns(&idx);
        if rank(&sub) > chosen.len() {
            chosen.push(k);
        } else {
            let with: Vec<&str> = chosen
                .iter()
                .filter(|&&c| {
                    (0..used.len()).any(|t| j0[(t, c)].abs() > 1e-9 && j0[(t, k)].abs() > 1e-9)
                })
                .map(|&c| all[c].0.as_str())
                .collect();
            unidentified.push(Unidentified {
                input: all[k].0.clone(),
                why: format!(
                    "confounded with {}: the measured tests move only with their product",
                    with.join(", ")
                ),
            });
        }
    }
    if chosen.is_empty() {
        return Err(InputError::new(
            files,
            "ill-posed fit: the measured tests bind on no catalog number that takes fractions",
        ));
    }
    let inputs: Vec<(String, f64)> = chosen.iter().map(|&k| all[k].clone()).collect();
    let y: Vec<f64> = used
        .iter()
        .map(|t| {
            let o = measured(&t.id).expect("used tests are measured");
            o.value.ln()
        })
        .collect();
    let mut m = vec![0.0; inputs.len()];
    for _ in 0..50 {
        let f = p.logs(&inputs, &m).map_err(err)?;
        let r = DVector::from_iterator(y.len(), y.iter().zip(&f).map(|(a, b)| a - b));
        let j = p.jacobian(&inputs, &m).map_err(err)?;
        let step = j
            .svd(true, true)
            .solve(&r, 1e-12)
            .map_err(|e| InputError::new(files, format!("ill-posed fit: {e}")))?;
        for (x, d) in m.iter_mut().zip(step.iter()) {
            *x += d;
        }
        if step.amax() < 1e-12 {
            break;
        }
    }
    // Build the calibrated catalog, and each fitted input's tests and files.
    let mut after = cat.clone();
    let mut fitted = Vec::new();
    let jf = p.jacobian(&inputs, &m).map_err(err)?;
    for (k, ((name, base), x)) in inputs.iter().zip(&m).enumerate() {
        let v = base * x.exp();
        let moved: Vec<&PocTest> = (0..used.len())
            .filter(|&t| jf[(t, k)].abs() > 1e-9)
            .map(|t| used[t])
            .collect();
        let tests: Vec<String> = moved.iter().map(|t| t.id.clone()).collect();
        let mut sources: Vec<String> = moved
            .iter()
            .filter_map(|t| measured(&t.id).map(|o| o.source.clone()))
            .collect();
        sources.dedup();
        let (id, field) = split_input(name);
        after
            .apply_measured(id, field, v, &format!("measured: {}", sources.join(", ")))
            .map_err(|e| {
                InputError::new(
                    sources.join(", "),
                    format!(
                        "ill-posed fit: {name} fitted to {} is out of range ({})",
                        rules::show(v),
                        e.message
                    ),
                )
                .field(name.clone())
            })?;
        let conf = cands
            .iter()
            .find(|c| &c.0 == name)
            .map_or(Confidence::User, |c| c.1);
        fitted.push(Fitted {
            input: name.clone(),
            confidence_before: conf,
            before: *base,
            after: v,
            tests,
            sources,
        });
    }
    let mut rows = Vec::new();
    for t in tests {
        let b = point(cat, sc, file, setup, t)?.value;
        let a = point(&after, sc, file, setup, t)?.value;
        let o = measured(&t.id);
        rows.push(Row {
            test: t.id.clone(),
            before: b,
            after: a,
            measured: o.map(|o| o.value),
            used: t.fits && o.is_some_and(|o| o.informs),
        });
    }
    Ok(Fit {
        fitted,
        unidentified,
        rows,
        catalog: after,
    })
}
