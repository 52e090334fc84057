//! The mock's state, in memory, one set of tables per partner: entries, users,
//! categories and their entries, upload tokens (with their bytes), flavor and thumbnail
//! assets, application tokens. Objects are kept as the API's JSON objects (with their
//! `objectType`), in insertion order.

pub mod list;
pub mod persist;

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

/// Objects of one kind, by id, in insertion order.
#[derive(Debug, Default)]
pub struct Table {
    rows: BTreeMap<u64, Value>,
    ids: HashMap<String, u64>,
    next: u64,
}

impl Table {
    pub fn insert(&mut self, id: &str, value: Value) {
        if let Some(seq) = self.ids.get(id) {
            self.rows.insert(*seq, value);
            return;
        }
        self.next += 1;
        self.ids.insert(id.to_string(), self.next);
        self.rows.insert(self.next, value);
    }

    pub fn get(&self, id: &str) -> Option<&Value> {
        self.ids.get(id).and_then(|s| self.rows.get(s))
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Value> {
        let seq = *self.ids.get(id)?;
        self.rows.get_mut(&seq)
    }

    pub fn remove(&mut self, id: &str) -> Option<Value> {
        let seq = self.ids.remove(id)?;
        self.rows.remove(&seq)
    }

    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.rows.values()
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        self.rows.values_mut()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Every row with its key, in insertion order.
    pub fn pairs(&self) -> Vec<(&str, &Value)> {
        let mut keys: Vec<(&u64, &str)> = self.ids.iter().map(|(k, s)| (s, k.as_str())).collect();
        keys.sort();
        keys.into_iter()
            .filter_map(|(s, k)| Some((k, self.rows.get(s)?)))
            .collect()
    }
}

/// The bytes of an upload token, with chunks that arrived ahead of their turn.
#[derive(Debug, Default)]
pub struct UploadData {
    pub bytes: Vec<u8>,
    /// Chunks by offset, waiting for the bytes before them.
    pub pending: BTreeMap<usize, Vec<u8>>,
    pub file_name: Option<String>,
}

impl UploadData {
    /// Writes a chunk at `at` (the end when `None`), then takes in the waiting chunks
    /// that have become contiguous.
    pub fn write(&mut self, at: Option<usize>, chunk: Vec<u8>) {
        let at = at.unwrap_or(self.bytes.len());
        if at > self.bytes.len() {
            self.pending.insert(at, chunk);
        } else {
            self.bytes.truncate(at);
            self.bytes.extend_from_slice(&chunk);
        }
        while let Some((&offset, _)) = self.pending.iter().next() {
            if offset > self.bytes.len() {
                break;
            }
            let chunk = self.pending.remove(&offset).unwrap_or_default();
            let end = offset + chunk.len();
            if end > self.bytes.len() {
                self.bytes.truncate(offset);
                self.bytes.extend_from_slice(&chunk);
            }
        }
    }
}

/// One partner's objects.
#[derive(Debug, Default)]
pub struct PartnerData {
    pub entries: Table,
    pub users: Table,
    pub categories: Table,
    pub category_entries: Table,
    pub upload_tokens: Table,
    pub uploads: HashMap<String, UploadData>,
    pub flavors: Table,
    pub thumbs: Table,
    /// Bytes of each asset (the uploaded file, for flavors).
    pub asset_bytes: HashMap<String, Vec<u8>>,
    pub app_tokens: Table,
    pub metadata_profiles: Table,
    pub metadata: Table,
    /// Entries being "converted": when each becomes READY.
    pub ready_at: HashMap<String, Instant>,
    /// Users' passwords, by user id (never in an answer).
    pub passwords: HashMap<String, String>,
}

/// Everything the mock holds.
#[derive(Debug, Default)]
pub struct Store {
    pub partners: HashMap<i64, PartnerData>,
    seq: u64,
}

const BASE36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

impl Store {
    pub fn partner(&mut self, id: i64) -> &mut PartnerData {
        self.partners.entry(id).or_default()
    }

    /// The next number of the store's one sequence.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// A new id shaped like the server's (`0_` and 8 base-36 characters), distinct and
    /// in creation order.
    pub fn next_id(&mut self) -> String {
        let mut n = self.next_seq() + 36u64.pow(7);
        let mut out = [b'0'; 8];
        for slot in out.iter_mut().rev() {
            *slot = BASE36[(n % 36) as usize];
            n /= 36;
        }
        format!("0_{}", String::from_utf8_lossy(&out))
    }

    /// A new 32-hex-digit id (upload and application tokens).
    pub fn next_hex_id(&mut self) -> String {
        let n = self.next_seq();
        let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5851_F42D_4C95_7F2D;
        let mut out = String::with_capacity(32);
        for _ in 0..2 {
            x ^= x >> 31;
            x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
            out.push_str(&format!("{x:016x}"));
        }
        out.replace_range(..8, &format!("{:08x}", n as u32));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_out_of_order_are_joined() {
        let mut u = UploadData::default();
        u.write(Some(4), b"efgh".to_vec());
        assert!(u.bytes.is_empty());
        u.write(Some(0), b"abcd".to_vec());
        assert_eq!(u.bytes, b"abcdefgh");
        u.write(None, b"ij".to_vec());
        assert_eq!(u.bytes, b"abcdefghij");
        u.write(Some(8), b"IJ".to_vec());
        assert_eq!(u.bytes, b"abcdefghIJ");
    }

    #[test]
    fn ids_are_distinct_and_shaped_like_the_servers() {
        let mut s = Store::default();
        let a = s.next_id();
        let b = s.next_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 10);
        assert!(a.starts_with("0_"));
        assert!(a < b);
        assert_eq!(s.next_hex_id().len(), 32);
    }
}
