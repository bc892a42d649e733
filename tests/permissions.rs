//! Permission denied, said plainly: a dump folder the user may not open,
//! a file in it they may not read, and a data folder they may not write
//! each give one clear line, and what was saved before stays saved.
//!
//! Permissions do not bind root, and CI runs as root: there the binary is
//! run as the unprivileged user 65534 (`nobody`) through util-linux's
//! `setpriv`. A normal user runs it as themselves.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOBODY: &str = "65534";

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Runs trawl as a user that permissions bind.
struct Runner {
    program: PathBuf,
    as_nobody: bool,
    /// The copy of the binary `program` may point into, kept while it runs.
    copy: Option<tempfile::TempDir>,
}

impl Runner {
    /// `None` (with the reason printed) when running as root without
    /// `setpriv`; under CI that fails instead.
    fn new() -> Option<Runner> {
        let built = PathBuf::from(env!("CARGO_BIN_EXE_trawl"));
        if !is_root() {
            return Some(Runner {
                program: built,
                as_nobody: false,
                copy: None,
            });
        }
        let mut runner = Runner {
            program: built,
            as_nobody: true,
            copy: None,
        };
        if runner.run(&["--version"], Path::new("/")).is_some() {
            return Some(runner);
        }
        // The build folder may be closed to other users: a copy they can run.
        let copy = tempfile::tempdir().expect("tmp");
        chmod(copy.path(), 0o755);
        let program = copy.path().join("trawl");
        std::fs::copy(&runner.program, &program).expect("copy binary");
        chmod(&program, 0o755);
        runner.program = program;
        runner.copy = Some(copy);
        if runner.run(&["--version"], Path::new("/")).is_some() {
            return Some(runner);
        }
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs as root but cannot run trawl as user {NOBODY} with setpriv"
        );
        eprintln!("skipped: running as root and `setpriv` cannot drop to user {NOBODY}");
        None
    }

    fn command(&self, data: &Path) -> Command {
        let mut c = if self.as_nobody {
            let mut c = Command::new("setpriv");
            c.args([
                &format!("--reuid={NOBODY}"),
                &format!("--regid={NOBODY}"),
                "--clear-groups",
            ])
            .arg(&self.program);
            c
        } else {
            Command::new(&self.program)
        };
        c.env("TRAWL_DATA_DIR", data).env("HOME", data);
        c
    }

    /// The output when the command ran (whatever its status); `None` when
    /// it could not be started at all.
    fn run(&self, args: &[&str], data: &Path) -> Option<Output> {
        let out = self.command(data).args(args).output().ok()?;
        let ran = out.status.success() || !out.stderr.is_empty();
        ran.then_some(out)
    }

    fn expect(&self, args: &[&str], data: &Path) -> Output {
        self.command(data).args(args).output().expect("run trawl")
    }
}

/// A world-readable copy of the sample dump and a data folder in a
/// folder every user can enter.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    chmod(tmp.path(), 0o755);
    let dump = tmp.path().join("dump");
    copy_tree(&common::sample_dump(), &dump);
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).expect("data dir");
    chmod(&data, 0o777);
    (tmp, dump, data)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    chmod(to, 0o755);
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
            chmod(&target, 0o644);
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The stderr of a run that failed with one clear line and no panic.
fn one_clear_line(out: &Output) -> String {
    let err = text(&out.stderr);
    assert!(!out.status.success(), "expected a failure, got: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("RUST_BACKTRACE"), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        lines.last().is_some_and(|l| l.starts_with("trawl: ")),
        "{err}"
    );
    err
}

#[test]
fn a_dump_folder_the_user_may_not_open_is_one_clear_line() {
    let Some(runner) = Runner::new() else { return };
    let (_tmp, dump, data) = setup();
    chmod(&dump, 0o700);
    if !runner.as_nobody {
        chmod(&dump, 0o000);
    }
    let dump_arg = dump.to_str().expect("utf-8 path");
    for args in [vec!["index", dump_arg], vec![dump_arg]] {
        let out = runner.expect(&args, &data);
        let err = one_clear_line(&out);
        assert!(err.contains("Permission denied"), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        // The browser failed before it took over the terminal.
        assert!(!text(&out.stdout).contains("\x1b[?1049h"), "{args:?}");
    }
    chmod(&dump, 0o755);
}

#[test]
fn a_file_the_user_may_not_read_is_listed_and_the_rest_loads() {
    let Some(runner) = Runner::new() else { return };
    let (_tmp, dump, data) = setup();
    let secret = dump.join("pieces-jointes/compte_rendu_reunion_2017-03-14.txt");
    assert!(
        secret.is_file(),
        "sample dump changed: {}",
        secret.display()
    );
    chmod(&secret, 0o000);
    let out = runner.expect(&["index", dump.to_str().expect("utf-8 path")], &data);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("compte_rendu_reunion_2017-03-14.txt")
                && l.contains("Permission denied")),
        "{err}"
    );
    assert!(err.contains("1 file could not be read"), "{err}");
    // Everything else was read: the messages are searchable.
    let found = runner.expect(
        &[
            "search",
            dump.to_str().expect("utf-8 path"),
            "subject:devis",
        ],
        &data,
    );
    assert!(found.status.success(), "{}", text(&found.stderr));
    assert!(!text(&found.stdout).trim().is_empty(), "nothing found");
    chmod(&secret, 0o644);
}

#[test]
fn a_read_only_data_folder_is_one_clear_line_and_keeps_what_was_saved() {
    let Some(runner) = Runner::new() else { return };
    let (_tmp, dump, data) = setup();
    let dump_arg = dump.to_str().expect("utf-8 path");
    let tagged = runner.expect(
        &["tag", dump_arg, "--tag", "verified", "subject:devis"],
        &data,
    );
    assert!(tagged.status.success(), "{}", text(&tagged.stderr));
    let before = text(
        &runner
            .expect(&["search", dump_arg, "tag:verified"], &data)
            .stdout,
    );
    assert!(!before.trim().is_empty(), "the tag was not saved");

    // The whole data folder becomes read-only (as root, the files are the
    // owner's and the unprivileged user may not write them either).
    set_tree_mode(&data, 0o555, 0o444);
    let out = runner.expect(
        &["tag", dump_arg, "--tag", "suspect", "subject:devis"],
        &data,
    );
    let err = one_clear_line(&out);
    assert!(err.contains("cannot write the project state"), "{err}");
    assert!(err.contains("everything saved before is kept"), "{err}");
    assert!(
        err.lines().count() <= 4,
        "one line for the failure (progress lines aside): {err}"
    );

    set_tree_mode(&data, 0o777, 0o666);
    let after = text(
        &runner
            .expect(&["search", dump_arg, "tag:verified"], &data)
            .stdout,
    );
    assert_eq!(before, after, "what was saved before changed");
    let suspect = runner.expect(&["search", dump_arg, "tag:suspect"], &data);
    assert!(
        text(&suspect.stdout).trim().is_empty(),
        "a refused change was saved"
    );
}

fn set_tree_mode(root: &Path, dir_mode: u32, file_mode: u32) {
    for entry in std::fs::read_dir(root).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            set_tree_mode(&path, dir_mode, file_mode);
        } else {
            chmod(&path, file_mode);
        }
    }
    chmod(root, dir_mode);
}
