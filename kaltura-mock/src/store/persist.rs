//! The store in a file, for a mock that keeps its state between runs: one JSON
//! document (`"format": "kaltura-mock-state"`, `"version": 1`) with each partner's
//! tables in order (as `[key, object]` pairs), upload tokens' bytes and the assets'
//! bytes (hex), the time left before converting entries become READY, and users'
//! passwords. It is written readable by its owner only (it holds passwords and
//! application tokens), to a temporary file renamed over the old one, so that a
//! reader never sees half a state.

use super::{PartnerData, Store, Table, UploadData};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, Instant};

const FORMAT: &str = "kaltura-mock-state";
const VERSION: i64 = 1;

fn table_json(t: &Table) -> Value {
    Value::Array(t.pairs().into_iter().map(|(k, v)| json!([k, v])).collect())
}

fn table_from(v: &Value, what: &str) -> Result<Table, String> {
    let mut t = Table::default();
    let Some(rows) = v.as_array() else {
        return if v.is_null() {
            Ok(t)
        } else {
            Err(format!("{what}: expected a list of [key, object] pairs"))
        };
    };
    for (i, row) in rows.iter().enumerate() {
        match row.as_array().map(Vec::as_slice) {
            Some([Value::String(k), obj @ Value::Object(_)]) => t.insert(k, obj.clone()),
            _ => return Err(format!("{what}[{i}]: expected [key, object]")),
        }
    }
    Ok(t)
}

fn bytes_from(v: &Value, what: &str) -> Result<Vec<u8>, String> {
    hex::decode(v.as_str().unwrap_or_default()).map_err(|e| format!("{what}: {e}"))
}

fn map_of<'a>(v: &'a Value, what: &str) -> Result<Option<&'a Map<String, Value>>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Object(m) => Ok(Some(m)),
        _ => Err(format!("{what}: expected an object")),
    }
}

const TABLES: [&str; 10] = [
    "entries",
    "users",
    "categories",
    "categoryEntries",
    "uploadTokens",
    "flavors",
    "thumbs",
    "appTokens",
    "metadataProfiles",
    "metadata",
];

fn tables(p: &PartnerData) -> [&Table; 10] {
    [
        &p.entries,
        &p.users,
        &p.categories,
        &p.category_entries,
        &p.upload_tokens,
        &p.flavors,
        &p.thumbs,
        &p.app_tokens,
        &p.metadata_profiles,
        &p.metadata,
    ]
}

fn tables_mut(p: &mut PartnerData) -> [&mut Table; 10] {
    [
        &mut p.entries,
        &mut p.users,
        &mut p.categories,
        &mut p.category_entries,
        &mut p.upload_tokens,
        &mut p.flavors,
        &mut p.thumbs,
        &mut p.app_tokens,
        &mut p.metadata_profiles,
        &mut p.metadata,
    ]
}

/// The store as its file's JSON.
pub fn to_json(store: &Store) -> Value {
    let now = Instant::now();
    let mut partners = Map::new();
    let mut ids: Vec<&i64> = store.partners.keys().collect();
    ids.sort();
    for id in ids {
        let p = &store.partners[id];
        let mut m = Map::new();
        for (name, t) in TABLES.iter().zip(tables(p)) {
            m.insert((*name).into(), table_json(t));
        }
        let uploads: Map<String, Value> = p
            .uploads
            .iter()
            .map(|(k, u)| {
                let pending: Map<String, Value> = u
                    .pending
                    .iter()
                    .map(|(at, b)| (at.to_string(), json!(hex::encode(b))))
                    .collect();
                (
                    k.clone(),
                    json!({"bytes": hex::encode(&u.bytes), "pending": pending,
                           "fileName": u.file_name}),
                )
            })
            .collect();
        m.insert("uploads".into(), Value::Object(uploads));
        let assets: Map<String, Value> = p
            .asset_bytes
            .iter()
            .map(|(k, b)| (k.clone(), json!(hex::encode(b))))
            .collect();
        m.insert("assetBytes".into(), Value::Object(assets));
        let ready: Map<String, Value> = p
            .ready_at
            .iter()
            .map(|(k, at)| {
                let left = at.saturating_duration_since(now).as_millis() as u64;
                (k.clone(), json!(left))
            })
            .collect();
        m.insert("readyInMs".into(), Value::Object(ready));
        let passwords: Map<String, Value> = p
            .passwords
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        m.insert("passwords".into(), Value::Object(passwords));
        partners.insert(id.to_string(), Value::Object(m));
    }
    json!({"format": FORMAT, "version": VERSION, "seq": store.seq, "partners": partners})
}

/// A store from its file's JSON; what is wrong is named by its place.
pub fn from_json(v: &Value) -> Result<Store, String> {
    if v["format"] != FORMAT {
        return Err(format!("not a {FORMAT} file"));
    }
    if v["version"] != VERSION {
        return Err(format!("version {} is not {VERSION}", v["version"]));
    }
    let mut store = Store {
        seq: v["seq"].as_u64().ok_or("seq: expected a number")?,
        partners: HashMap::new(),
    };
    let now = Instant::now();
    for (id, p) in map_of(&v["partners"], "partners")?.into_iter().flatten() {
        let pid: i64 = id
            .parse()
            .map_err(|_| format!("partners: {id:?} is not a partner id"))?;
        let mut data = PartnerData::default();
        for (name, t) in TABLES.iter().zip(tables_mut(&mut data)) {
            *t = table_from(&p[*name], &format!("partners.{id}.{name}"))?;
        }
        for (k, u) in map_of(&p["uploads"], "uploads")?.into_iter().flatten() {
            let what = format!("partners.{id}.uploads.{k}");
            let mut pending = BTreeMap::new();
            for (at, b) in map_of(&u["pending"], &what)?.into_iter().flatten() {
                let at: usize = at
                    .parse()
                    .map_err(|_| format!("{what}.pending: {at:?} is not an offset"))?;
                pending.insert(at, bytes_from(b, &what)?);
            }
            let upload = UploadData {
                bytes: bytes_from(&u["bytes"], &what)?,
                pending,
                file_name: u["fileName"].as_str().map(str::to_string),
            };
            data.uploads.insert(k.clone(), upload);
        }
        for (k, b) in map_of(&p["assetBytes"], "assetBytes")?
            .into_iter()
            .flatten()
        {
            let what = format!("partners.{id}.assetBytes.{k}");
            data.asset_bytes.insert(k.clone(), bytes_from(b, &what)?);
        }
        for (k, ms) in map_of(&p["readyInMs"], "readyInMs")?.into_iter().flatten() {
            let ms = ms.as_u64().unwrap_or(0);
            data.ready_at
                .insert(k.clone(), now + Duration::from_millis(ms));
        }
        for (k, pw) in map_of(&p["passwords"], "passwords")?.into_iter().flatten() {
            data.passwords
                .insert(k.clone(), pw.as_str().unwrap_or_default().to_string());
        }
        store.partners.insert(pid, data);
    }
    Ok(store)
}

/// Reads a state file: `Ok(None)` when there is none yet.
pub fn load(path: &Path) -> io::Result<Option<Store>> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
    };
    let bad = |why: String| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {why}", path.display()),
        )
    };
    let v: Value = serde_json::from_slice(&text).map_err(|e| bad(e.to_string()))?;
    from_json(&v).map(Some).map_err(bad)
}

/// Writes a state file (readable by its owner only), replacing the old one whole.
pub fn save(json: &Value, path: &Path) -> io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    file.write_all(json.to_string().as_bytes())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_survives_its_file_and_bad_files_are_named_errors() {
        let mut store = Store::default();
        let id = store.next_id();
        let p = store.partner(7);
        p.entries.insert(&id, json!({"id": id, "name": "kept"}));
        p.category_entries
            .insert("0_a|3", json!({"entryId": "0_a", "categoryId": 3}));
        p.uploads.insert(
            "tok".into(),
            UploadData {
                bytes: vec![1, 2, 3],
                pending: BTreeMap::from([(5, vec![9])]),
                file_name: Some("a.mp4".into()),
            },
        );
        p.asset_bytes.insert("0_f".into(), vec![0xFF, 0]);
        p.passwords.insert("alice".into(), "pw".into());
        let back = from_json(&to_json(&store)).unwrap();
        let q = &back.partners[&7];
        assert_eq!(q.entries.get(&id).unwrap()["name"], "kept");
        assert!(q.category_entries.get("0_a|3").is_some());
        assert_eq!(q.uploads["tok"].bytes, [1, 2, 3]);
        assert_eq!(q.uploads["tok"].pending[&5], [9]);
        assert_eq!(q.asset_bytes["0_f"], [0xFF, 0]);
        assert_eq!(q.passwords["alice"], "pw");
        assert_eq!(back.seq, store.seq);

        for (bad, why) in [
            (json!({}), "not a kaltura-mock-state file"),
            (json!({"format": FORMAT, "version": 9}), "version 9"),
            (
                json!({"format": FORMAT, "version": 1, "seq": 1,
                    "partners": {"x": {}}}),
                "is not a partner id",
            ),
            (
                json!({"format": FORMAT, "version": 1, "seq": 1,
                    "partners": {"1": {"entries": [[1, 2]]}}}),
                "partners.1.entries[0]",
            ),
            (
                json!({"format": FORMAT, "version": 1, "seq": 1,
                    "partners": {"1": {"assetBytes": {"a": "zz"}}}}),
                "assetBytes.a",
            ),
        ] {
            let e = from_json(&bad).err().unwrap_or_default();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
