//! `kaltura completion SHELL` and the candidates behind it, run as processes; the bash
//! script is loaded into a real bash and asked to complete.

use std::process::{Command, Stdio};

fn kaltura(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kaltura"))
        .args(args)
        .stdin(Stdio::null())
        .env(
            "KALTURA_CONFIG_DIR",
            std::env::temp_dir().join("kaltura-cli-tests-no-profiles"),
        )
        .output()
        .expect("the kaltura binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn every_shell_has_a_script() {
    for (shell, needle) in [
        ("bash", "complete -F _kaltura_dynamic"),
        ("zsh", "#compdef kaltura"),
        ("fish", "kaltura __complete --"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = kaltura(&["completion", shell]);
        assert!(script.contains(needle), "{shell}: {needle}");
        assert!(script.contains("session"), "{shell}");
    }
}

#[test]
fn candidates_come_from_the_api_description() {
    let services = kaltura(&["__complete", "call", "upload"]);
    assert!(services.lines().any(|l| l == "uploadToken"), "{services}");
    let actions = kaltura(&["__complete", "api", "media", ""]);
    for a in ["list", "get", "add", "addContent"] {
        assert!(actions.lines().any(|l| l == a), "{a}: {actions}");
    }
    let props = kaltura(&[
        "__complete",
        "call",
        "baseEntry",
        "list",
        "filter:objectType=KalturaMediaEntryFilter",
        "filter:mediaT",
    ]);
    assert!(
        props.lines().any(|l| l == "filter:mediaTypeEqual="),
        "{props}"
    );
    let values = kaltura(&[
        "__complete",
        "call",
        "media",
        "list",
        "filter:statusEqual=RE",
    ]);
    assert!(
        values.lines().any(|l| l == "filter:statusEqual=READY"),
        "{values}"
    );
}

/// The bash script, sourced into bash, completing `kaltura call media li` and an enum
/// value after `=` (which bash treats as a word break).
#[test]
fn bash_completes_services_actions_and_values() {
    let dir = tempfile::tempdir().expect("a folder");
    let script = dir.path().join("kaltura.bash");
    std::fs::write(&script, kaltura(&["completion", "bash"])).expect("write");
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_kaltura"))
        .parent()
        .expect("a folder")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let probe = r#"
source "$1"
ask() { COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< "$1"; COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMPREPLY=(); _kaltura_dynamic kaltura; echo "${COMPREPLY[*]}"; }
ask "kaltura call uploadT"
ask "kaltura call media li"
ask "kaltura api media list"
ask "kaltura call media list filter:mediaTypeEqual=VI"
"#;
    let out = Command::new("bash")
        .args(["-c", probe, "probe", script.to_str().expect("UTF-8")])
        .env("PATH", path)
        .env("KALTURA_CONFIG_DIR", dir.path())
        .output()
        .expect("bash runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        4,
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(lines[0], "uploadToken");
    assert!(lines[1].split(' ').any(|w| w == "list"), "{}", lines[1]);
    assert!(lines[2].split(' ').any(|w| w == "list"), "{}", lines[2]);
    assert_eq!(lines[3], "VIDEO");
}

#[test]
fn profile_names_complete_after_profile() {
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::write(
        dir.path().join("config.toml"),
        "[profiles.prod]\npartner_id = 1\n[profiles.staging]\npartner_id = 2\n[profiles.stage2]\n",
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_kaltura"))
        .args(["__complete", "--", "--profile", "st"])
        .env("KALTURA_CONFIG_DIR", dir.path())
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "stage2\nstaging\n");
}
