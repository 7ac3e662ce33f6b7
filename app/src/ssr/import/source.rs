//! Reads the records of an import file: JSON lines streamed a line at a time, or one JSON array.
//! Each record carries where it was found, so a bad one can be reported by line or index.

use super::ImportError;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// 1-based line of a JSON lines file.
    Line(usize),
    /// 0-based index in a JSON array.
    Index(usize),
}

/// One record: where it was, the parsed JSON or why it could not be parsed, and its share of
/// the progress total.
pub type Record = (Location, Result<serde_json::Value, String>, u64);

pub enum RecordSource {
    Lines { reader: BufReader<File>, total: u64 },
    Array { values: Vec<serde_json::Value> },
}

impl RecordSource {
    pub fn open(path: &Path) -> Result<Self, ImportError> {
        let unreadable =
            |e: std::io::Error| ImportError::Unreadable { path: path.display().to_string(), reason: e.to_string() };
        let file = File::open(path).map_err(unreadable)?;
        let total = file.metadata().map_err(unreadable)?.len();
        let mut reader = BufReader::new(file);
        let first = loop {
            let buf = reader.fill_buf().map_err(unreadable)?;
            match buf.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(i) => break Some(buf[i]),
                None if buf.is_empty() => break None,
                None => {
                    let n = buf.len();
                    reader.consume(n);
                }
            }
        };
        if first == Some(b'[') {
            let mut text = String::new();
            reader.read_to_string(&mut text).map_err(unreadable)?;
            let values: Vec<serde_json::Value> = serde_json::from_str(&text)
                .map_err(|e| ImportError::NotJson { path: path.display().to_string(), reason: e.to_string() })?;
            Ok(Self::Array { values })
        } else {
            Ok(Self::Lines { reader, total })
        }
    }

    /// The progress total: bytes for JSON lines, records for an array.
    pub fn total(&self) -> u64 {
        match self {
            Self::Lines { total, .. } => *total,
            Self::Array { values } => values.len() as u64,
        }
    }
}

impl IntoIterator for RecordSource {
    type Item = Record;
    type IntoIter = Box<dyn Iterator<Item = Record> + Send>;

    fn into_iter(self) -> Self::IntoIter {
        let records: Self::IntoIter = match self {
            Self::Array { values } => {
                Box::new(values.into_iter().enumerate().map(|(i, v)| (Location::Index(i), Ok(v), 1)))
            }
            Self::Lines { reader, .. } => Box::new(
                reader
                    .split(b'\n')
                    .enumerate()
                    .map(|(i, line)| {
                        let location = Location::Line(i + 1);
                        match line {
                            Err(e) => (location, Err(format!("unreadable: {e}")), 1),
                            Ok(bytes) => {
                                let size = bytes.len() as u64 + 1;
                                let parsed = std::str::from_utf8(&bytes)
                                    .map_err(|_| "not valid UTF-8".to_owned())
                                    .and_then(|text| {
                                        if text.trim().is_empty() {
                                            Ok(serde_json::Value::Null)
                                        } else {
                                            serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))
                                        }
                                    });
                                (location, parsed, size)
                            }
                        }
                    })
                    // Blank lines are not records.
                    .filter(|(_, parsed, _)| !matches!(parsed, Ok(serde_json::Value::Null))),
            ),
        };
        Box::new(records.map(|(location, parsed, size)| (location, parsed.map(clean_strings), size)))
    }
}

/// Every string in a record (keys too) without bidirectional or other control characters, before
/// any importer reads it: what an import shows on a page is plain text and cannot reorder the
/// page around it (`domain::text::clean`).
fn clean_strings(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(cleaned(s)),
        Value::Array(items) => Value::Array(items.into_iter().map(clean_strings).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (cleaned(k), clean_strings(v))).collect()),
        other => other,
    }
}

/// `s` itself when it is clean (the usual case: no copy).
fn cleaned(s: String) -> String {
    match crate::domain::text::clean(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(clean) => clean,
    }
}

#[cfg(test)]
mod clean_tests {
    use super::clean_strings;

    #[test]
    fn controls_leave_every_string_of_a_record() {
        let record = serde_json::json!({"title": "A\u{202e}B", "authors": [{"name": "C\u{0}D"}], "n": 1});
        assert_eq!(clean_strings(record), serde_json::json!({"title": "AB", "authors": [{"name": "CD"}], "n": 1}));
    }
}
