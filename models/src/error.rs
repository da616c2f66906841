//! Input errors that point at the place the user must fix: file, line, field.

use std::fmt;

/// Something wrong with a user-supplied file or value. Displays as one line:
/// `FILE:LINE: field `FIELD`: MESSAGE` (line and field omitted when unknown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub file: String,
    pub line: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

impl InputError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            file: file.into(),
            line: None,
            field: None,
            message: message.into(),
        }
    }
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(fld) = &self.field {
            write!(f, ": field `{fld}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_file_line_and_field_on_one_line() {
        let e = InputError::new("datasets/azure_vms.csv", "not a number: \"abc\"")
            .at_line(7)
            .field("vcpus");
        assert_eq!(
            e.to_string(),
            "datasets/azure_vms.csv:7: field `vcpus`: not a number: \"abc\""
        );
    }
}
