//! Writing generated files so that a failure leaves the previous tree intact, and
//! comparing them with what is checked in.

use anyhow::{Context, Result};
use kaltura_codegen::File;
use std::collections::BTreeMap;
use std::path::Path;

/// Replaces `dir` with exactly `files`: written to a sibling folder first, then swapped
/// in by renames.
pub fn write_tree(dir: &Path, files: &[File]) -> Result<()> {
    let parent = dir.parent().context("output folder has no parent")?;
    std::fs::create_dir_all(parent)?;
    let name = dir
        .file_name()
        .context("output folder has no name")?
        .to_string_lossy();
    let staging = parent.join(format!(".{name}.new"));
    let old = parent.join(format!(".{name}.old"));
    for stale in [&staging, &old] {
        if stale.exists() {
            std::fs::remove_dir_all(stale)
                .with_context(|| format!("cannot remove {}", stale.display()))?;
        }
    }
    for f in files {
        let path = staging.join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap_or(&staging))?;
        std::fs::write(&path, &f.contents)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if dir.exists() {
        std::fs::rename(dir, &old)
            .with_context(|| format!("cannot move {} aside", dir.display()))?;
    }
    if let Err(e) = std::fs::rename(&staging, dir) {
        // Put the previous tree back rather than leave no tree at all.
        if old.exists() {
            let _ = std::fs::rename(&old, dir);
        }
        return Err(e).with_context(|| format!("cannot move {} in", dir.display()));
    }
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// Writes a file through a temporary sibling and a rename.
pub fn write_file(path: &Path, contents: &str) -> Result<()> {
    let tmp = path.with_extension("tmp-xtask");
    std::fs::write(&tmp, contents).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// Paths (relative to `dir`) that differ from `files`: changed, missing or extra.
pub fn diff_tree(dir: &Path, files: &[File]) -> Vec<String> {
    let mut on_disk = BTreeMap::new();
    collect(dir, dir, &mut on_disk);
    let mut differ = Vec::new();
    for f in files {
        match on_disk.remove(&f.path) {
            Some(existing) if existing == f.contents => {}
            Some(_) => differ.push(format!("{} (changed)", f.path)),
            None => differ.push(format!("{} (missing)", f.path)),
        }
    }
    differ.extend(
        on_disk
            .into_keys()
            .map(|p| format!("{p} (not generated any more)")),
    );
    differ
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            out.insert(rel.to_string_lossy().replace('\\', "/"), text);
        }
    }
}

/// The files of one generated crate, with paths relative to the crate's folder.
pub fn crate_files(files: &[File], dir: &str) -> Vec<File> {
    let prefix = format!("{dir}/");
    files
        .iter()
        .filter_map(|f| {
            f.path.strip_prefix(&prefix).map(|rel| File {
                path: rel.to_string(),
                contents: f.contents.clone(),
            })
        })
        .collect()
}
