//! A stand-in for a list action the server's search index answers (`media.list`,
//! `baseEntry.list`), holding more objects than one query reaches, for the stand-in
//! server ([`crate::standin`]).
//!
//! It behaves as the server does (`SphinxCriteria`, `KalturaFilterPager`,
//! `KalturaFilter::toObject`):
//! * the filter's `createdAtGreaterThanOrEqual` and `createdAtLessThanOrEqual` narrow
//!   the matches;
//! * `orderBy` sorts them when it is `+createdAt` or `-createdAt`; any other value is
//!   dropped, as the server drops an order its filter's map does not name, and the
//!   matches come in the default order (newest object first). Objects sharing a
//!   `createdAt` keep one order from query to query;
//! * the pager's `pageSize` is cut to 500 and `pageIndex` starts at 1;
//! * a page starting at the 10,000th match or later is refused with
//!   `QUERY_EXCEEDED_MAX_MATCHES_ALLOWED`, and one running past it is cut there;
//! * `totalCount` is every match, however many.

use crate::standin::{Recorded, Reply};
use serde_json::{json, Value};

/// How deep the server pages one query.
pub const MAX_MATCHES: usize = 10_000;

/// One listed object.
#[derive(Clone, Debug)]
pub struct Entry {
    pub id: String,
    pub created_at: i64,
}

/// The objects behind the list, in the order they were made.
pub struct Catalog {
    pub entries: Vec<Entry>,
}

impl Catalog {
    /// `n` entries, `0_00000`, `0_00001`, ..., made at the times `created_at(i)`.
    pub fn new(n: usize, created_at: impl Fn(usize) -> i64) -> Catalog {
        Catalog {
            entries: (0..n)
                .map(|i| Entry {
                    id: format!("0_{i:05}"),
                    created_at: created_at(i),
                })
                .collect(),
        }
    }

    /// The answer to one recorded request.
    pub fn answer(&self, request: &Recorded) -> Reply {
        let params = request.json().unwrap_or(Value::Null);
        Reply::json(self.list(&params["filter"], &params["pager"]).to_string())
    }

    /// The answer to `filter` and `pager`, as the server would give it.
    pub fn list(&self, filter: &Value, pager: &Value) -> Value {
        let number = |v: &Value| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        };
        let from = number(&filter["createdAtGreaterThanOrEqual"]);
        let to = number(&filter["createdAtLessThanOrEqual"]);
        let mut matches: Vec<(usize, &Entry)> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| from.is_none_or(|f| e.created_at >= f))
            .filter(|(_, e)| to.is_none_or(|t| e.created_at <= t))
            .collect();
        match filter["orderBy"].as_str() {
            // Stable sorts: ties keep the order the objects were made in.
            Some("+createdAt") => matches.sort_by_key(|(_, e)| e.created_at),
            Some("-createdAt") => matches.sort_by_key(|(_, e)| std::cmp::Reverse(e.created_at)),
            _ => matches.sort_by_key(|(i, _)| std::cmp::Reverse(*i)),
        }
        let size = number(&pager["pageSize"]).unwrap_or(30).clamp(0, 500) as usize;
        let index = number(&pager["pageIndex"]).unwrap_or(1).max(1) as usize;
        let offset = (index - 1) * size;
        if offset >= MAX_MATCHES {
            return json!({
                "code": "QUERY_EXCEEDED_MAX_MATCHES_ALLOWED",
                "message": "Unable to generate list. max matches value was reached",
                "objectType": "KalturaAPIException",
                "args": {}
            });
        }
        let end = (offset + size).min(MAX_MATCHES).min(matches.len());
        let objects: Vec<Value> = matches
            .get(offset..end)
            .unwrap_or_default()
            .iter()
            .map(|(_, e)| {
                json!({
                    "id": e.id,
                    "name": format!("clip {}", e.id),
                    "createdAt": e.created_at,
                    "objectType": "KalturaMediaEntry"
                })
            })
            .collect();
        json!({
            "objects": objects,
            "totalCount": matches.len(),
            "objectType": "KalturaMediaListResponse"
        })
    }
}
