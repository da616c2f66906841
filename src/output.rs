//! Writing result files: whole or not at all.

use crate::error::CliError;
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename,
/// so a reader (or a retried batch task) never sees a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)
        .map_err(|e| CliError::input(format!("cannot write {}: {e}", tmp.display())))?;
    std::fs::rename(&tmp, path)
        .map_err(|e| CliError::input(format!("cannot write {}: {e}", path.display())))?;
    Ok(())
}
