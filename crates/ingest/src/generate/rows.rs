//! Rows in PostgreSQL's COPY text format, written into a byte buffer a stream sends when full.

use std::fmt::Write as _;

/// Bytes a stream buffers before sending them to its COPY.
pub const CHUNK_BYTES: usize = 1 << 20;

/// One field of a row.
pub enum Field<'a> {
    Text(&'a str),
    Int(i64),
    Bool(bool),
    Real(f32),
    Null,
}

impl<'a> From<&'a str> for Field<'a> {
    fn from(s: &'a str) -> Self {
        Field::Text(s)
    }
}

impl<'a> From<Option<&'a str>> for Field<'a> {
    fn from(s: Option<&'a str>) -> Self {
        s.map_or(Field::Null, Field::Text)
    }
}

impl From<i64> for Field<'_> {
    fn from(n: i64) -> Self {
        Field::Int(n)
    }
}

impl From<bool> for Field<'_> {
    fn from(b: bool) -> Self {
        Field::Bool(b)
    }
}

/// Appends one row: fields separated by tabs, text escaped, `\N` for NULL.
pub fn push_row(buf: &mut Vec<u8>, fields: &[Field<'_>]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            buf.push(b'\t');
        }
        match field {
            Field::Text(s) => escape_into(buf, s),
            Field::Int(n) => buf.extend_from_slice(n.to_string().as_bytes()),
            Field::Bool(b) => buf.push(if *b { b't' } else { b'f' }),
            Field::Real(x) => {
                let mut s = String::new();
                let _ = write!(s, "{x}");
                buf.extend_from_slice(s.as_bytes());
            }
            Field::Null => buf.extend_from_slice(b"\\N"),
        }
    }
    buf.push(b'\n');
}

fn escape_into(buf: &mut Vec<u8>, s: &str) {
    for &b in s.as_bytes() {
        match b {
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            _ => buf.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_null_is_marked() {
        let mut buf = Vec::new();
        push_row(&mut buf, &[Field::Int(7), "a\tb\\c\nd".into(), Field::Null, Field::Bool(true)]);
        assert_eq!(String::from_utf8(buf).unwrap_or_default(), "7\ta\\tb\\\\c\\nd\t\\N\tt\n");
    }
}
