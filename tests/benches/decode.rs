//! Decoding and KS figures, printed with their ratios (issue: "decoding at the
//! parser's speed"). Run with `cargo bench -p kaltura-tests --bench decode`; it is a
//! plain binary (no harness), timed with `std::time::Instant`, reporting the median of
//! several rounds, and peak heap through a counting allocator.
//!
//! The body is a synthetic `media.list` answer of 500 entries shaped like a real
//! server's (every property a `KalturaMediaEntry` carries, `objectType` last), about
//! 870 KB.
#![recursion_limit = "256"]

use kaltura_client::ks::{AdminSecret, KsBuilder, SessionType};
use kaltura_client::request::Output;
use kaltura_client::types::KalturaMediaListResponse;
use serde_json::{json, Value};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

/// Counts heap bytes only while `COUNTING` is on, so the timed rounds pay no atomic
/// operations per allocation (they cost about a fifth of a KS's time).
struct Counting;
static COUNTING: AtomicBool = AtomicBool::new(false);
/// Bytes allocated minus bytes freed since counting began, and its highest value.
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() && COUNTING.load(Ordering::Relaxed) {
            let size = layout.size() as isize;
            let now = LIVE.fetch_add(size, Ordering::Relaxed) + size;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn entry(i: usize) -> Value {
    json!({
        "id": format!("0_{i:08x}"), "name": format!("Entry number {i} of the benchmark"),
        "description": "A description of reasonable length, as editors write them for the catalogue.",
        "partnerId": 1234567, "userId": "editor@example.com", "creatorId": "editor@example.com",
        "tags": "news,sport,2024", "adminTags": "", "categories": "Main>News", "categoriesIds": "1001",
        "status": "2", "moderationStatus": 6, "moderationCount": 0, "type": 1,
        "createdAt": 1700000000 + i, "updatedAt": 1700100000 + i, "rank": 0, "totalRank": 0, "votes": 0,
        "downloadUrl": format!("https://cdnapisec.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/0_{i:08x}/format/download"),
        "searchText": "_PAR_ONLY_ _1234567_ _MEDIA_TYPE_1| Entry number of the benchmark",
        "licenseType": -1, "version": 0,
        "thumbnailUrl": format!("https://cfvod.kaltura.com/p/1234567/sp/123456700/thumbnail/entry_id/0_{i:08x}/version/100002"),
        "accessControlId": 2, "replacementStatus": 0, "partnerSortValue": 0, "conversionProfileId": 5,
        "rootEntryId": format!("0_{i:08x}"), "operationAttributes": [], "entitledUsersEdit": "",
        "entitledUsersPublish": "", "entitledUsersView": "", "capabilities": "", "displayInSearch": 1,
        "application": "0", "applicationVersion": "", "blockAutoTranscript": false,
        "plays": 12, "views": 40, "lastPlayedAt": 1700200000, "width": 1920, "height": 1080,
        "duration": 61, "msDuration": 61000, "durationType": "short",
        "mediaType": 1, "conversionQuality": 5, "sourceType": "1", "searchProviderType": 0,
        "dataUrl": format!("https://cdnapisec.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/0_{i:08x}/format/url/protocol/https"),
        "flavorParamsIds": "0,487041,487051,487061,487071",
        "isTrimDisabled": 1, "streams": [], "objectType": "KalturaMediaEntry",
    })
}

/// The median of `rounds` timings of `f`.
fn median(rounds: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[rounds / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let objects: Vec<Value> = (0..500).map(entry).collect();
    let body = serde_json::to_vec(&json!({
        "objects": objects, "totalCount": 500, "objectType": "KalturaMediaListResponse"
    }))
    .expect("JSON");
    println!("body: {} bytes, 500 entries", body.len());

    let value_time = median(21, || {
        let v: Value = serde_json::from_slice(&body).expect("JSON");
        std::hint::black_box(v);
    });
    // Straight from the bytes, as a call decodes its answer.
    let typed_time = median(21, || {
        let page = KalturaMediaListResponse::from_slice(&body).expect("typed");
        std::hint::black_box(page);
    });
    let page = KalturaMediaListResponse::from_slice(&body).expect("typed");
    let mut total = 0usize;
    let names_time = median(101, || {
        for entry in &page.objects {
            total += entry.base().name.get_or("").len();
        }
    });
    std::hint::black_box(total);
    let copy_time = median(21, || {
        for entry in &page.objects {
            std::hint::black_box(entry.to_base().name);
        }
    });

    // Peak heap while decoding, above what was live before (the body, already read).
    drop(page);
    COUNTING.store(true, Ordering::Relaxed);
    let page = KalturaMediaListResponse::from_slice(&body).expect("typed");
    COUNTING.store(false, Ordering::Relaxed);
    let peak = PEAK.load(Ordering::Relaxed).max(0) as usize;
    std::hint::black_box(page);

    let secret = AdminSecret::new("0123456789abcdef0123456789abcdef").expect("secret");
    let builder = KsBuilder::new(1234567, SessionType::User)
        .user_id("user@example.com")
        .expires_in(3600);
    let ks_time = median(5, || {
        for _ in 0..10_000 {
            std::hint::black_box(builder.clone().generate_v2(&secret).expect("KS"));
        }
    });

    println!("serde_json::Value parse       {:8.3} ms", ms(value_time));
    println!(
        "typed decode from the bytes   {:8.3} ms   {:.2}x the Value parse (goal <= 1.0x)",
        ms(typed_time),
        typed_time.as_secs_f64() / value_time.as_secs_f64()
    );
    println!(
        "read name of 500 via .base()  {:8.4} ms   (goal <= 0.05 ms)",
        ms(names_time)
    );
    println!(
        "read name of 500 via .to_base(){:7.3} ms   {:.0}x .base()",
        ms(copy_time),
        copy_time.as_secs_f64() / names_time.as_secs_f64().max(1e-9)
    );
    println!(
        "peak heap while decoding      {:8.2} MB   {:.2}x the body (goal <= 3x)",
        peak as f64 / 1e6,
        peak as f64 / body.len() as f64
    );
    println!(
        "KS v2 generation              {:8.3} us per token (goal <= 0.9 us)",
        ks_time.as_secs_f64() * 1e6 / 10_000.0
    );
}
