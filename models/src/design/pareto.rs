//! The Pareto frontier of points under objectives that are all minimised.

/// Whether `a` dominates `b`: no worse in every objective and better in one.
pub fn dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x <= y) && a.iter().zip(b).any(|(x, y)| x < y)
}

/// Indices of the points no other point dominates, in ascending order of the objectives
/// (first objective first). Points with a non-finite objective are never on it.
///
/// Sorted lexicographically, a point can only be dominated by one before it, and if it
/// is dominated by any earlier point it is dominated by an earlier frontier point
/// (dominance is transitive), so each point is checked against the frontier so far only.
pub fn frontier(points: &[Vec<f64>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..points.len())
        .filter(|&i| points[i].iter().all(|v| v.is_finite()))
        .collect();
    order.sort_by(|&a, &b| {
        points[a]
            .iter()
            .zip(&points[b])
            .map(|(x, y)| x.total_cmp(y))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    let mut front: Vec<usize> = Vec::new();
    for i in order {
        if !front.iter().any(|&f| dominates(&points[f], &points[i])) {
            front.push(i);
        }
    }
    front
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_the_trade_offs_and_drops_the_dominated() {
        let p = vec![
            vec![1.0, 5.0, 1.0],
            vec![2.0, 2.0, 1.0],
            vec![3.0, 3.0, 1.0], // dominated by [2, 2, 1]
            vec![5.0, 1.0, 1.0],
            vec![1.0, 5.0, 1.0], // equal to the first: not dominated
        ];
        assert_eq!(frontier(&p), vec![0, 4, 1, 3]);
    }

    proptest! {
        /// The frontier is mutually non-dominated and every point off it is dominated by
        /// a point on it (by brute force over all pairs).
        #[test]
        fn frontier_is_exact(pts in prop::collection::vec(prop::collection::vec(0u8..6, 3), 0..60)) {
            let p: Vec<Vec<f64>> = pts.iter().map(|v| v.iter().map(|&x| x as f64).collect()).collect();
            let f = frontier(&p);
            for &a in &f {
                for &b in &f {
                    prop_assert!(!dominates(&p[a], &p[b]));
                }
            }
            for i in 0..p.len() {
                let on = f.contains(&i);
                let dominated = (0..p.len()).any(|j| dominates(&p[j], &p[i]));
                prop_assert_eq!(on, !dominated);
                if !on {
                    prop_assert!(f.iter().any(|&j| dominates(&p[j], &p[i])));
                }
            }
        }
    }
}
