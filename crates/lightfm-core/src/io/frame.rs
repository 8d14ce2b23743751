//! The framing shared by every file this library writes (model files, index files): magic,
//! format version, JSON header, payload, CRC-32. Each file kind has its own magic and version
//! and describes its payload in its header; this module checks only the frame.

use crate::error::{Error, Result};

/// Bytes before the header: magic, version, header length.
pub const PREAMBLE: usize = 8 + 4 + 8;
/// Bytes of the trailing checksum.
pub const CHECKSUM: usize = 4;

/// One kind of file: its magic, the newest version this library reads, and its name in
/// messages.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    pub magic: [u8; 8],
    pub version: u32,
    pub name: &'static str,
}

/// Writes a frame: `header` (JSON text), then whatever `payload` appends (`payload_len` bytes,
/// reserved up front), then the checksum of everything before it.
pub fn write(
    kind: &Kind,
    header: &[u8],
    payload_len: usize,
    payload: impl FnOnce(&mut Vec<u8>),
) -> Result<Vec<u8>> {
    let len = PREAMBLE + header.len() + payload_len + CHECKSUM;
    let mut out = crate::alloc::with_capacity(kind.name, len)?;
    out.extend_from_slice(&kind.magic);
    out.extend_from_slice(&kind.version.to_le_bytes());
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(header);
    payload(&mut out);
    debug_assert_eq!(out.len() + CHECKSUM, len, "payload length as announced");
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    Ok(out)
}

/// A frame read from bytes: its header text and payload, not yet checksummed (the caller
/// checks the payload's length against the header first, so that a truncated file is
/// reported as such rather than as a checksum mismatch).
#[derive(Debug)]
pub struct Frame<'a> {
    pub version: u32,
    pub header: &'a str,
    pub payload: &'a [u8],
    bytes: &'a [u8],
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

/// Reads the frame of a `kind` file. Errors: `ERR_CORRUPT_FILE` for a file that is not of this
/// kind, of a future version, or whose header length does not fit.
pub fn read<'a>(bytes: &'a [u8], kind: &Kind) -> Result<Frame<'a>> {
    let corrupt = |m: String| Error::CorruptFile(m);
    let (len, name) = (bytes.len(), kind.name);
    if len < PREAMBLE + CHECKSUM {
        return Err(corrupt(format!(
            "the file is {len} bytes; a {name} has at least {} (truncated?)",
            PREAMBLE + CHECKSUM
        )));
    }
    if bytes[..8] != kind.magic {
        let magic = String::from_utf8_lossy(&kind.magic[..]).replace('\0', "\\0");
        return Err(corrupt(format!(
            "not a {name} (it does not start with {magic})"
        )));
    }
    let version = u32_at(bytes, 8);
    if version == 0 || version > kind.version {
        return Err(corrupt(format!(
            "format version {version} is not supported: this lightfm-ts reads version {}; files from a newer lightfm-ts need that version to load",
            kind.version
        )));
    }
    let header_len = usize::try_from(u64_at(bytes, 12))
        .ok()
        .filter(|&h| h <= len - PREAMBLE - CHECKSUM)
        .ok_or_else(|| {
            corrupt(format!(
                "the header length is larger than the file ({len} bytes): the file is truncated or damaged"
            ))
        })?;
    let header = std::str::from_utf8(&bytes[PREAMBLE..PREAMBLE + header_len])
        .map_err(|e| corrupt(format!("the header is not UTF-8 text: {e}")))?;
    Ok(Frame {
        version,
        header,
        payload: &bytes[PREAMBLE + header_len..len - CHECKSUM],
        bytes,
    })
}

impl Frame<'_> {
    /// `ERR_CORRUPT_FILE` unless the payload is `expected` bytes long.
    pub fn expect_payload(&self, expected: usize) -> Result<()> {
        if self.payload.len() == expected {
            return Ok(());
        }
        let (len, whole) = (
            self.bytes.len(),
            self.bytes.len() - self.payload.len() + expected,
        );
        Err(Error::CorruptFile(format!(
            "the file is {len} bytes but its header describes {whole}: it is truncated or has extra bytes"
        )))
    }

    /// `ERR_CHECKSUM` unless the stored checksum matches the bytes before it.
    pub fn verify(&self) -> Result<()> {
        let len = self.bytes.len();
        let stored = u32_at(self.bytes, len - CHECKSUM);
        let found = crc32fast::hash(&self.bytes[..len - CHECKSUM]);
        if stored == found {
            Ok(())
        } else {
            Err(Error::Checksum {
                expected: stored,
                found,
            })
        }
    }
}
