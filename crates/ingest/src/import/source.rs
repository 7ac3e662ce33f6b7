//! Reads the records of an import, streamed a line at a time in constant memory: a file of JSON
//! lines (plain or `.gz`), a file holding one JSON array (read whole: arrays are the small sample
//! files), or a directory in OpenAlex's snapshot layout, `updated_date=*/part_*.gz`, taken in order.
//! Each record carries where it was found, so a bad one can be reported by file and line.

use super::ImportError;
use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Where a record was: its file (named only when the import is a directory) and its place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: Option<Arc<str>>,
    pub at: Position,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// 1-based line of a JSON lines file.
    Line(usize),
    /// 0-based index in a JSON array.
    Index(usize),
    /// The whole file (it could not be opened).
    File,
}

/// One record: where it was, the parsed JSON or why it could not be parsed, and its share of
/// the progress total (bytes of the files as stored).
pub type Record = (Location, Result<serde_json::Value, String>, u64);

/// A file to read, named in reports when it is a part of a snapshot directory.
type Labelled = (Option<Arc<str>>, PathBuf);

/// The files of an import, opened one after the other as the records are read.
pub struct RecordSource {
    files: std::vec::IntoIter<Labelled>,
    current: Option<Open>,
    total: u64,
    consumed: Arc<AtomicU64>,
    reported: u64,
    line: Vec<u8>,
    /// The current file is done: open the next one before reading on.
    advance: bool,
}

enum Open {
    Lines { label: Option<Arc<str>>, reader: Box<dyn BufRead + Send>, line: usize },
    Array { label: Option<Arc<str>>, values: std::iter::Enumerate<std::vec::IntoIter<serde_json::Value>> },
}

fn unreadable(path: &Path) -> impl Fn(std::io::Error) -> ImportError + '_ {
    move |e| ImportError::Unreadable { path: path.display().to_string(), reason: e.to_string() }
}

impl RecordSource {
    /// A file, or a snapshot directory (`updated_date=*/part_*`, `manifest` ignored).
    pub fn open(path: &Path) -> Result<Self, ImportError> {
        let files = if path.is_dir() { snapshot_parts(path)? } else { vec![(None, path.to_path_buf())] };
        let mut total = 0;
        for (_, file) in &files {
            total += std::fs::metadata(file).map_err(unreadable(file))?.len();
        }
        let mut source = Self {
            files: files.into_iter(),
            current: None,
            total,
            consumed: Arc::new(AtomicU64::new(0)),
            reported: 0,
            line: Vec::new(),
            advance: false,
        };
        // The first file is opened now, so a missing or unreadable one is an error of the run.
        source.next_file().map_err(|(_, e)| e)?;
        Ok(source)
    }

    /// The progress total: bytes of the files as stored (compressed, for `.gz`).
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Opens the next file; `false` when there is none.
    fn next_file(&mut self) -> Result<bool, (Option<Arc<str>>, ImportError)> {
        let Some((label, path)) = self.files.next() else {
            return Ok(false);
        };
        match self.open_file(label.clone(), &path) {
            Ok(open) => {
                self.current = Some(open);
                Ok(true)
            }
            Err(e) => Err((label, e)),
        }
    }

    fn open_file(&self, label: Option<Arc<str>>, path: &Path) -> Result<Open, ImportError> {
        let file = File::open(path).map_err(unreadable(path))?;
        let counted = Counted { inner: file, consumed: Arc::clone(&self.consumed) };
        let mut reader: Box<dyn BufRead + Send> = if path.extension().is_some_and(|e| e == "gz") {
            Box::new(BufReader::with_capacity(256 * 1024, MultiGzDecoder::new(BufReader::new(counted))))
        } else {
            Box::new(BufReader::with_capacity(256 * 1024, counted))
        };
        if first_byte(&mut reader).map_err(unreadable(path))? == Some(b'[') {
            // An array is read whole: it is the shape of the small sample files, not of snapshots.
            let mut text = Vec::new();
            reader.read_to_end(&mut text).map_err(unreadable(path))?;
            let values: Vec<serde_json::Value> = serde_json::from_slice(&text)
                .map_err(|e| ImportError::NotJson { path: path.display().to_string(), reason: e.to_string() })?;
            Ok(Open::Array { label, values: values.into_iter().enumerate() })
        } else {
            Ok(Open::Lines { label, reader, line: 0 })
        }
    }

    /// Bytes consumed from the files since the last record.
    fn progress(&mut self) -> u64 {
        let now = self.consumed.load(Ordering::Relaxed);
        let step = now.saturating_sub(self.reported);
        self.reported = now;
        step
    }
}

/// Records fetched rather than read from a file (a harvested page): each named by `label` and
/// its index, cleaned as a file's records are.
pub fn records_of(label: &str, values: Vec<serde_json::Value>) -> impl Iterator<Item = Record> + Send + 'static {
    let label: Arc<str> = Arc::from(label);
    values.into_iter().enumerate().map(move |(i, value)| {
        (Location { file: Some(label.clone()), at: Position::Index(i) }, Ok(clean_strings(value)), 0)
    })
}

/// The first byte that is not white space, left unread.
fn first_byte(reader: &mut dyn BufRead) -> std::io::Result<Option<u8>> {
    loop {
        let buf = reader.fill_buf()?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => return Ok(Some(buf[i])),
            None if buf.is_empty() => return Ok(None),
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// The part files of an OpenAlex snapshot directory in order: `updated_date=*` folders by name,
/// their `part_*` files by number. Part files directly in the directory are taken too.
fn snapshot_parts(dir: &Path) -> Result<Vec<Labelled>, ImportError> {
    let list = |d: &Path| -> Result<Vec<(String, PathBuf)>, ImportError> {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(d).map_err(unreadable(d))? {
            let entry = entry.map_err(unreadable(d))?;
            entries.push((entry.file_name().to_string_lossy().into_owned(), entry.path()));
        }
        entries.sort_by(|a, b| natural_key(&a.0).cmp(&natural_key(&b.0)));
        Ok(entries)
    };
    let mut parts = Vec::new();
    for (name, path) in list(dir)? {
        if name.starts_with("updated_date=") && path.is_dir() {
            for (part, file) in list(&path)? {
                if part.starts_with("part_") && file.is_file() {
                    parts.push((Some(Arc::from(format!("{name}/{part}"))), file));
                }
            }
        } else if name.starts_with("part_") && path.is_file() {
            parts.push((Some(Arc::from(name)), path));
        }
    }
    if parts.is_empty() {
        return Err(ImportError::Unreadable {
            path: dir.display().to_string(),
            reason: "the directory holds no updated_date=*/part_* files".to_owned(),
        });
    }
    Ok(parts)
}

/// `part_10` after `part_9`: the name with its first run of digits compared as a number.
fn natural_key(name: &str) -> (&str, u64, &str) {
    let start = name.find(|c: char| c.is_ascii_digit()).unwrap_or(name.len());
    let rest = &name[start..];
    let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    (&name[..start], rest[..end].parse().unwrap_or(0), &rest[end..])
}

impl Iterator for RecordSource {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if self.advance {
                self.advance = false;
                self.current = None;
                match self.next_file() {
                    Ok(true) => {}
                    Ok(false) => return None,
                    Err((file, error)) => {
                        // The files after one that cannot be opened are still read.
                        self.advance = true;
                        return Some((Location { file, at: Position::File }, Err(error.to_string()), 0));
                    }
                }
            }
            let (location, parsed) = match self.current.as_mut()? {
                Open::Array { label, values } => match values.next() {
                    Some((i, value)) => (Location { file: label.clone(), at: Position::Index(i) }, Ok(value)),
                    None => {
                        self.advance = true;
                        continue;
                    }
                },
                Open::Lines { label, reader, line } => {
                    self.line.clear();
                    let read = reader.read_until(b'\n', &mut self.line);
                    if matches!(read, Ok(0)) {
                        self.advance = true;
                        continue;
                    }
                    *line += 1;
                    let location = Location { file: label.clone(), at: Position::Line(*line) };
                    match read {
                        Err(e) => {
                            // A broken stream (a truncated .gz) cannot be read past: the rest of
                            // this file is lost, the next file is read.
                            self.advance = true;
                            (location, Err(format!("unreadable, the rest of the file is skipped: {e}")))
                        }
                        Ok(_) => match parse_line(&self.line) {
                            // Blank lines are not records.
                            None => continue,
                            Some(parsed) => (location, parsed),
                        },
                    }
                }
            };
            let size = self.progress();
            return Some((location, parsed.map(clean_strings), size));
        }
    }
}

fn parse_line(bytes: &[u8]) -> Option<Result<serde_json::Value, String>> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    Some(
        std::str::from_utf8(bytes)
            .map_err(|_| "not valid UTF-8".to_owned())
            .and_then(|text| serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))),
    )
}

/// A reader that counts the bytes taken from the file, for the progress bar.
struct Counted {
    inner: File,
    consumed: Arc<AtomicU64>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
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
mod tests {
    use super::*;

    #[test]
    fn controls_leave_every_string_of_a_record() {
        let record = serde_json::json!({"title": "A\u{202e}B", "authors": [{"name": "C\u{0}D"}], "n": 1});
        assert_eq!(clean_strings(record), serde_json::json!({"title": "AB", "authors": [{"name": "CD"}], "n": 1}));
    }

    #[test]
    fn part_files_sort_by_number() {
        let mut names = ["part_10.gz", "part_9.gz", "part_000.gz", "manifest"];
        names.sort_by(|a, b| natural_key(a).cmp(&natural_key(b)));
        assert_eq!(names, ["manifest", "part_000.gz", "part_9.gz", "part_10.gz"]);
    }
}
