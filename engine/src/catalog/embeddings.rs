//! Int8 sentence embeddings of the catalog (all-MiniLM-L6-v2, produced offline by
//! `ml/embeddings/embed.py`), and integer similarity over them.
//!
//! Binary format `data/embeddings.bin`, all integers little-endian:
//! ```text
//! offset size  field
//!  0      8    magic  b"BMEMB001"
//!  8      4    count  u32  number of rows (= number of catalog books)
//! 12      4    dims   u32  values per row (384 for MiniLM)
//! 16      4    scale  u32  global quantisation scale S: q = round(v * S), v a unit-vector component
//! 20      4    catalog_hash u32  FNV-1a 32 of "{id}\t{title}\n" for every book in id order
//! 24      count*dims  i8 rows, row i belongs to the i-th catalog book in id order
//! ```
//! One global scale (not one per vector) means every stored vector has norm ~S, so the raw i32
//! dot product is directly comparable across all pairs: dot ~ S^2 * cosine. Similarity is pure
//! integer arithmetic, identical on every platform, natively and in wasm32.
use super::books::Catalog;

const EMBEDDINGS_BIN: &[u8] = include_bytes!("../../data/embeddings.bin");

pub const MAGIC: [u8; 8] = *b"BMEMB001";
pub const HEADER_LEN: usize = 24;
/// Bounds dims so a dot product of i8 rows can never overflow i32: 4096 * 127 * 128 < 2^31.
pub const MAX_DIMS: u32 = 4096;
/// Bounds the scale so quantised unit vectors fit i8 and similarities stay meaningful.
pub const MAX_SCALE: u32 = 127 * 64;

/// Embedding rows bound to the ids of the catalog they were computed for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embeddings {
    dims: u32,
    scale: u32,
    /// ids[i] is the catalog id of row i (ascending).
    ids: Vec<u32>,
    rows: Vec<i8>,
}

impl Embeddings {
    /// The embeddings compiled into the engine, checked against `catalog`.
    pub fn embedded(catalog: &Catalog) -> Result<Embeddings, String> {
        Embeddings::parse(EMBEDDINGS_BIN, catalog)
    }

    /// Parses and validates `bytes`; fails if the header is malformed, the size is wrong, or the
    /// rows were computed for a different catalog (count or title hash differ).
    pub fn parse(bytes: &[u8], catalog: &Catalog) -> Result<Embeddings, String> {
        let header = bytes
            .get(..HEADER_LEN)
            .ok_or_else(|| format!("embeddings: {} bytes, shorter than the header", bytes.len()))?;
        if header[0..8] != MAGIC {
            return Err("embeddings: bad magic (not a bookmesh embeddings file)".to_string());
        }
        let count = read_u32(header, 8);
        let dims = read_u32(header, 12);
        let scale = read_u32(header, 16);
        let hash = read_u32(header, 20);
        if dims == 0 || dims > MAX_DIMS {
            return Err(format!("embeddings: dims {dims} outside 1..={MAX_DIMS}"));
        }
        if scale == 0 || scale > MAX_SCALE {
            return Err(format!("embeddings: scale {scale} outside 1..={MAX_SCALE}"));
        }
        let expected_len = (count as u64) * (dims as u64) + HEADER_LEN as u64;
        if bytes.len() as u64 != expected_len {
            return Err(format!(
                "embeddings: {} bytes, header says {count} x {dims} (+{HEADER_LEN}) = {expected_len}",
                bytes.len()
            ));
        }
        if count as usize != catalog.len() {
            return Err(format!(
                "embeddings: {count} rows but the catalog has {} books",
                catalog.len()
            ));
        }
        let expected_hash = catalog_hash(catalog);
        if hash != expected_hash {
            return Err(format!(
                "embeddings: computed for another catalog (hash {hash:#010x}, catalog {expected_hash:#010x}); rerun ml/embeddings/run.sh"
            ));
        }
        let rows = bytes[HEADER_LEN..].iter().map(|&b| b as i8).collect();
        let ids = catalog.books().iter().map(|b| b.id).collect();
        Ok(Embeddings {
            dims,
            scale,
            ids,
            rows,
        })
    }

    pub fn dims(&self) -> u32 {
        self.dims
    }

    pub fn scale(&self) -> u32 {
        self.scale
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The quantised vector of book `id`.
    pub fn row(&self, id: u32) -> Option<&[i8]> {
        let index = self.ids.binary_search(&id).ok()?;
        let dims = self.dims as usize;
        self.rows.get(index * dims..(index + 1) * dims)
    }

    /// Integer similarity of two books (~ scale^2 * cosine); None if either id is unknown.
    pub fn similarity(&self, a: u32, b: u32) -> Option<i32> {
        Some(dot_i8(self.row(a)?, self.row(b)?))
    }

    /// Cosine similarity of two books in parts per million, for display and logs.
    pub fn cosine_ppm(&self, a: u32, b: u32) -> Option<i64> {
        let scale = self.scale as i64;
        Some(self.similarity(a, b)? as i64 * 1_000_000 / (scale * scale))
    }

    /// The `k` books most similar to `id` (itself excluded), best first, ties by smaller id.
    pub fn nearest(&self, id: u32, k: usize) -> Vec<u32> {
        let Some(query) = self.row(id) else {
            return Vec::new();
        };
        let mut scored: Vec<(i32, u32)> = self
            .ids
            .iter()
            .filter(|&&other| other != id)
            .filter_map(|&other| Some((dot_i8(query, self.row(other)?), other)))
            .collect();
        scored.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        scored.into_iter().take(k).map(|(_, other)| other).collect()
    }

    /// Builds embeddings from raw rows (tests and tools); same validation as the binary path.
    pub fn from_rows(
        catalog: &Catalog,
        dims: u32,
        scale: u32,
        rows: Vec<i8>,
    ) -> Result<Embeddings, String> {
        let mut bytes = Vec::with_capacity(HEADER_LEN + rows.len());
        bytes.extend_from_slice(&MAGIC);
        bytes.extend_from_slice(&(catalog.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&dims.to_le_bytes());
        bytes.extend_from_slice(&scale.to_le_bytes());
        bytes.extend_from_slice(&catalog_hash(catalog).to_le_bytes());
        bytes.extend(rows.iter().map(|&v| v as u8));
        Embeddings::parse(&bytes, catalog)
    }
}

/// Dot product with i32 accumulation; cannot overflow for rows of at most MAX_DIMS values.
pub fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    a.iter().zip(b).map(|(&x, &y)| x as i32 * y as i32).sum()
}

/// FNV-1a 32 over "{id}\t{title}\n" of every book in id order; embed.py computes the same, so
/// embeddings computed for an older catalog are rejected instead of silently misaligned.
pub fn catalog_hash(catalog: &Catalog) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for book in catalog.books() {
        let line = format!("{}\t{}\n", book.id, book.title);
        for &byte in line.as_bytes() {
            hash ^= byte as u32;
            hash = hash.wrapping_mul(0x0100_0193);
        }
    }
    hash
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}
