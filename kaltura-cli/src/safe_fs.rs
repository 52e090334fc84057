//! The files the command line trusts: the folders it keeps sessions and profiles in,
//! `config.toml`, and the files secrets are read from.
//!
//! A folder other users can write to lets them swap or plant files (a symlink where
//! the session cache is about to be written, a `config.toml` naming a program to
//! run); a secret file they can read is a secret they know. Such paths are refused
//! with [`CliError::Unsafe`], which names the `chmod` that fixes them, rather than
//! used with a warning. The checks are Unix permission bits and owners; elsewhere
//! the platform's own access control is relied on.

use crate::error::{CliError, Problem, Purpose, Result, UnsafePath};
use kaltura_runtime::Secret;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Group or others may read, write or enter.
#[cfg(unix)]
const OPEN_TO_OTHERS: u32 = 0o077;
/// Group or others may write.
#[cfg(unix)]
const WRITABLE_BY_OTHERS: u32 = 0o022;

/// The user this process acts as.
#[cfg(unix)]
pub fn current_uid() -> u32 {
    // SAFETY: geteuid takes nothing, cannot fail and touches no memory of ours.
    unsafe { libc::geteuid() }
}

/// Refuses `meta` (of `path`) when another user owns it (`owned`) or any of the
/// permission bits in `forbidden` is set.
#[cfg(unix)]
fn check(
    path: &Path,
    meta: &std::fs::Metadata,
    owned: bool,
    forbidden: u32,
    purpose: Purpose,
) -> Result<(), UnsafePath> {
    use std::os::unix::fs::MetadataExt;
    let refuse = |problem| UnsafePath {
        path: path.to_path_buf(),
        purpose,
        problem,
    };
    if owned && meta.uid() != current_uid() {
        return Err(refuse(Problem::NotOwned { owner: meta.uid() }));
    }
    if meta.mode() & forbidden != 0 {
        return Err(refuse(Problem::OpenToOthers { mode: meta.mode() }));
    }
    Ok(())
}

/// Checks a folder that exists: it must be the user's own, and closed to others
/// (sessions) or at least not writable by them (profiles).
pub fn check_folder(dir: &Path, purpose: Purpose) -> Result<()> {
    #[cfg(unix)]
    {
        let meta = std::fs::metadata(dir)
            .map_err(|e| CliError::Local(format!("cannot check {}: {e}", dir.display())))?;
        let forbidden = match purpose {
            Purpose::SessionCache => OPEN_TO_OTHERS,
            _ => WRITABLE_BY_OTHERS,
        };
        check(dir, &meta, true, forbidden, purpose)?;
    }
    #[cfg(not(unix))]
    let _ = (dir, purpose);
    Ok(())
}

/// Writes a file only its owner may read, in a folder only the user controls.
///
/// The bytes go to a new file of an unpredictable name, created exclusively (an
/// existing file or symlink there is an error, never followed) with mode 0600 from
/// the start, and are renamed over `path` when complete: a crash never leaves half a
/// file, and nobody can make the write land elsewhere. `folder` says what the
/// folder holds, which decides how closed it must be.
pub fn write_private(path: &Path, bytes: &[u8], folder: Purpose) -> Result<()> {
    let local =
        |e: std::io::Error| CliError::Local(format!("cannot write {}: {e}", path.display()));
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(local)?;
    check_folder(dir, folder)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let mut attempt = 0;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(".{name}.{}.tmp", random_hex()));
        match create_new(&tmp) {
            Ok(f) => break (tmp, f),
            // Someone else's file, or one left by a crash: another name.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 8 => {
                attempt += 1;
            }
            Err(e) => return Err(local(e)),
        }
    };
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    let done = written.and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = done {
        let _ = std::fs::remove_file(&tmp);
        return Err(local(e));
    }
    Ok(())
}

/// A file that did not exist, made readable by its owner only; a symlink in its
/// place is an error, not followed.
fn create_new(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// 64 bits no other user can guess: the standard library seeds `RandomState` from the
/// operating system's random source.
fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(d.as_nanos());
    }
    format!("{:016x}", h.finish())
}

/// Reads a secret (admin secret, password, application token, KS) from a file that
/// only its owner may read; the permissions are those of the file opened, not of a
/// path that could change in between. Messages name the file, never its content.
pub fn read_secret_file(path: &Path, what: &'static str) -> Result<Secret> {
    let cannot = |e: std::io::Error| {
        CliError::usage(format!(
            "cannot read the {what} from {}: {e}",
            path.display()
        ))
    };
    let mut file = File::open(path).map_err(cannot)?;
    #[cfg(unix)]
    {
        let meta = file.metadata().map_err(cannot)?;
        check(
            path,
            &meta,
            false,
            OPEN_TO_OTHERS,
            Purpose::SecretFile(what),
        )?;
    }
    let mut raw = String::new();
    let read = file.read_to_string(&mut raw);
    // Wrapped before anything can fail, so it is wiped whatever happens next.
    let raw = Secret::new(raw);
    read.map_err(cannot)?;
    let text = raw.expose().trim();
    if text.is_empty() {
        return Err(CliError::usage(format!(
            "the file {} is empty; it should hold the {what}",
            path.display()
        )));
    }
    Ok(Secret::new(text))
}

/// The text of a settings file others cannot change (`config.toml`), or `None` when
/// it or its folder does not exist. The folder and the file must be the user's and
/// not writable by group or others: the file may name a program to run and where
/// secrets are sent.
pub fn read_trusted(path: &Path) -> Result<Option<String>> {
    let local =
        |p: &Path, e: std::io::Error| CliError::Local(format!("cannot read {}: {e}", p.display()));
    let dir: PathBuf = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match std::fs::metadata(&dir) {
        Ok(_) => check_folder(&dir, Purpose::ConfigFolder)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(local(&dir, e)),
    }
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(local(path, e)),
    };
    #[cfg(unix)]
    {
        let meta = file.metadata().map_err(|e| local(path, e))?;
        check(path, &meta, true, WRITABLE_BY_OTHERS, Purpose::ConfigFile)?;
    }
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(|e| local(path, e))?;
    Ok(Some(text))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn chmod(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777
    }

    /// The name the cache used to be written through, `.NAME.PID.tmp`, could be
    /// prepared by another user as a symlink to a file of theirs, which then received
    /// the KS. Now the temporary name is random and created exclusively.
    #[test]
    fn a_symlink_at_the_old_temporary_name_receives_nothing() {
        let home = tempfile::tempdir().unwrap();
        let sessions = home.path().join("sessions");
        std::fs::create_dir(&sessions).unwrap();
        chmod(&sessions, 0o700);
        let planted = home.path().join("planted");
        std::fs::write(&planted, "").unwrap();
        let old_name = sessions.join(format!(".dev.json.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&planted, &old_name).unwrap();

        let target = sessions.join("dev.json");
        write_private(&target, b"{\"ks\":\"THE-KS\"}", Purpose::SessionCache).unwrap();
        assert_eq!(std::fs::read_to_string(&planted).unwrap(), "");
        assert!(std::fs::symlink_metadata(&target).unwrap().is_file());
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "{\"ks\":\"THE-KS\"}"
        );
        assert_eq!(mode(&target), 0o600);
        // Nothing else is left in the folder: the planted link and the cache only.
        let names: Vec<String> = std::fs::read_dir(&sessions)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn a_symlink_at_the_final_name_is_replaced_not_followed() {
        let home = tempfile::tempdir().unwrap();
        chmod(home.path(), 0o700);
        let planted = home.path().join("planted");
        std::fs::write(&planted, "").unwrap();
        let target = home.path().join("dev.json");
        std::os::unix::fs::symlink(&planted, &target).unwrap();
        write_private(&target, b"KS", Purpose::SessionCache).unwrap();
        assert_eq!(std::fs::read_to_string(&planted).unwrap(), "");
        assert!(std::fs::symlink_metadata(&target).unwrap().is_file());
    }

    #[test]
    fn a_folder_open_to_others_is_refused() {
        let home = tempfile::tempdir().unwrap();
        let sessions = home.path().join("sessions");
        std::fs::create_dir(&sessions).unwrap();
        chmod(&sessions, 0o777);
        let target = sessions.join("dev.json");
        let e = write_private(&target, b"KS", Purpose::SessionCache).unwrap_err();
        match &e {
            CliError::Unsafe(u) => {
                assert_eq!(u.path, sessions);
                assert!(matches!(u.problem, Problem::OpenToOthers { .. }));
            }
            other => panic!("{other:?}"),
        }
        let text = e.to_string();
        assert!(
            text.contains("mode 777") && text.contains("chmod 700"),
            "{text}"
        );
        assert_eq!(std::fs::read_dir(&sessions).unwrap().count(), 0);
        // Readable by the group is open too, for sessions; for profiles only writing is.
        chmod(&sessions, 0o750);
        assert!(write_private(&target, b"KS", Purpose::SessionCache).is_err());
        write_private(&target, b"x", Purpose::ConfigFolder).unwrap();
        chmod(&sessions, 0o770);
        assert!(write_private(&target, b"x", Purpose::ConfigFolder).is_err());
    }

    #[test]
    fn secret_files_others_can_read_are_refused_without_their_content() {
        let home = tempfile::tempdir().unwrap();
        let file = home.path().join("secret");
        std::fs::write(&file, "s3cr3t-value\n").unwrap();
        chmod(&file, 0o640);
        let e = read_secret_file(&file, "admin secret").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains(&format!("chmod 600 {}", file.display())),
            "{text}"
        );
        assert!(!text.contains("s3cr3t"), "{text}");
        assert_eq!(e.exit_code(), crate::error::code::USAGE);
        chmod(&file, 0o600);
        assert_eq!(
            read_secret_file(&file, "admin secret").unwrap().expose(),
            "s3cr3t-value"
        );
    }

    #[test]
    fn settings_others_can_change_are_refused() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("config");
        std::fs::create_dir(&dir).unwrap();
        chmod(&dir, 0o755);
        let file = dir.join("config.toml");
        assert_eq!(read_trusted(&file).unwrap(), None);
        std::fs::write(&file, "default = \"p\"\n").unwrap();
        chmod(&file, 0o644);
        assert!(read_trusted(&file).unwrap().is_some());
        chmod(&file, 0o664);
        let e = read_trusted(&file).unwrap_err().to_string();
        assert!(e.contains("may be changed by other users"), "{e}");
        chmod(&file, 0o600);
        chmod(&dir, 0o777);
        let e = read_trusted(&file).unwrap_err().to_string();
        assert!(e.contains(&format!("chmod go-w {}", dir.display())), "{e}");
    }
}
