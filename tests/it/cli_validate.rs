//! `vastplan validate` end to end: prints the document, writes it with `--write` byte for
//! byte as the library renders it, and exits 0 while every row is in tolerance.

use crate::common::vastplan as run;

#[test]
fn prints_and_writes_the_same_document() {
    let (code, printed, err) = run(&["validate", "--markdown"]);
    assert_eq!(code, 0, "{err}");
    assert!(printed.starts_with("# Validation against published figures"));
    let dir = std::env::temp_dir().join(format!("vastplan-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("VALIDATION.md");
    let (code, out, err) = run(&["validate", "--write", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("0 outside tolerance"), "{out}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), printed);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unwritable_path_is_a_one_line_input_error() {
    let (code, _, err) = run(&["validate", "--write", "/nonexistent-dir/x/VALIDATION.md"]);
    assert_eq!(code, 2);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("cannot write"), "{err}");
}
