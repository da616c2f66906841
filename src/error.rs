//! Errors that end a command: each prints as one line and maps to an exit code.

use std::fmt;

/// A failure the user must act on. `Input` is anything wrong with what they gave us
/// (file, flag, value): exit code 2. `Internal` is our fault: exit code 1.
#[derive(Debug)]
pub enum CliError {
    Input(String),
    Internal(String),
}

impl CliError {
    pub fn input(msg: impl Into<String>) -> Self {
        CliError::Input(msg.into())
    }
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Input(_) => 2,
            CliError::Internal(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(m) => write!(f, "error: {m}"),
            CliError::Internal(m) => write!(f, "internal error: {m}"),
        }
    }
}

impl std::error::Error for CliError {}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Internal(format!("i/o: {e}"))
    }
}

impl From<vastplan_models::InputError> for CliError {
    fn from(e: vastplan_models::InputError) -> Self {
        CliError::Input(e.to_string())
    }
}
