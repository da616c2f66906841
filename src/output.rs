//! Writing result files: whole or not at all; writing to standard output, where a reader
//! that goes away (`vastplan size ... | head -1`) is not an error.

use crate::error::CliError;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename,
/// so a reader (or a retried batch task) never sees a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// As [`write_atomic`], with the content streamed by `fill` (a long run's series need not
/// be held in memory twice). On any failure the temporary file is removed and the error
/// names `path`, the file asked for.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    let cannot = |e: io::Error| CliError::input(format!("cannot write {}: {e}", path.display()));
    // A device or a pipe (`--out /dev/stdout`, `/dev/full`) is written in place: renaming
    // a temporary file over it would replace the device with a file.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut w = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(cannot)?;
        return fill(&mut w).and_then(|()| w.flush()).map_err(cannot);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|f| {
        let mut w = io::BufWriter::new(f);
        fill(&mut w)?;
        w.flush()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(cannot(e));
    }
    Ok(())
}

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Standard output for command results. A write that fails because the reading end of a
/// pipe has closed is still an error to the caller (so the command stops), but it is
/// remembered: see [`stdout_closed`].
pub struct Stdout(io::StdoutLock<'static>);

/// The process's standard output, locked, noting a closed pipe.
pub fn stdout() -> Stdout {
    Stdout(io::stdout().lock())
}

/// True once a write to [`stdout`] has failed with a broken pipe: the reader has all it
/// wanted, so `main` ends quietly with exit code 0 whatever error that write caused.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

static STDOUT_FAILED: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Why writing the results to standard output failed (a full disk, a device that takes
/// nothing), if it did for a reason other than a closed pipe: not the program's fault and
/// not one to stay silent about.
pub fn stdout_failed() -> Option<&'static str> {
    STDOUT_FAILED.get().map(String::as_str)
}

fn note<T>(r: io::Result<T>) -> io::Result<T> {
    if let Err(e) = &r {
        if e.kind() == io::ErrorKind::BrokenPipe {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        } else {
            let _ = STDOUT_FAILED.set(e.to_string());
        }
    }
    r
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        note(self.0.write(buf))
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        note(self.0.write_all(buf))
    }
    fn flush(&mut self) -> io::Result<()> {
        note(self.0.flush())
    }
}
