//! Where a CSV record ends, so that a file can be cut into pieces parsed independently.
//!
//! A newline ends a record unless it is inside a quoted field. A quote opens a quoted field
//! only at the start of a field (as the `csv` crate reads it: elsewhere it is an ordinary
//! character); inside one, a doubled quote is an escaped quote and a single one closes it.

use memchr::{memchr, memchr2, memrchr};

/// The end (one past the newline) of the last complete record of `buf`, which starts at a
/// record boundary; `None` when no record ends in it.
pub fn last_record_end(buf: &[u8], quote: Option<u8>, delimiter: u8) -> Option<usize> {
    let Some(q) = quote else {
        return memrchr(b'\n', buf).map(|p| p + 1);
    };
    let mut last = None;
    let mut i = 0;
    let mut quoted = false;
    while i < buf.len() {
        if quoted {
            let p = i + memchr(q, &buf[i..])?;
            match buf.get(p + 1) {
                // Cannot tell an escaped quote from a closing one yet.
                None => break,
                Some(&next) if next == q => i = p + 2,
                Some(_) => {
                    quoted = false;
                    i = p + 1;
                }
            }
        } else {
            let Some(j) = memchr2(q, b'\n', &buf[i..]) else {
                break;
            };
            let p = i + j;
            if buf[p] == b'\n' {
                last = Some(p + 1);
            } else {
                quoted = p == 0 || matches!(buf[p - 1], b'\n' | b'\r') || buf[p - 1] == delimiter;
            }
            i = p + 1;
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(s: &str) -> Option<usize> {
        last_record_end(s.as_bytes(), Some(b'"'), b',')
    }

    #[test]
    fn newlines_in_quotes_do_not_end_records() {
        assert_eq!(end("a,b\nc,d\ne"), Some(8));
        assert_eq!(end("a,\"b\nc\"\nd"), Some(8));
        assert_eq!(end("a,\"b\nc"), None);
        assert_eq!(end("a,\"x\"\"\n\"\ny"), Some(9));
        assert_eq!(end("a,b\"c\nd"), Some(6));
        assert_eq!(end("\"a\nb\"\n"), Some(6));
        assert_eq!(last_record_end(b"a\tb\"\n", None, b'\t'), Some(5));
    }
}
