//! Where the user's own settings live: the config directory, apart from the
//! data directory (projects) because it holds what a user writes by hand
//! and may keep in their dotfiles. Today it holds one file, `keymap.toml`.
//!
//! The folder is `$TRAWL_CONFIG_DIR` when the variable is set (tests,
//! portable use), else the platform's (`~/.config/trawl` on Linux). This
//! module only says where; reading the files is up to their users.

use std::path::PathBuf;

/// Environment variable that overrides the config directory.
pub const CONFIG_DIR_ENV: &str = "TRAWL_CONFIG_DIR";

/// The user's key bindings, in the config directory.
pub const KEYMAP_FILE: &str = "keymap.toml";

/// trawl's config directory: [`CONFIG_DIR_ENV`] if set (and not empty),
/// else the platform's; `None` when neither is known (no home folder).
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "trawl", "trawl").map(|d| d.config_dir().to_path_buf())
}

/// Where the user's keymap file is looked for (it need not exist).
pub fn keymap_path() -> Option<PathBuf> {
    config_dir().map(|d| d.join(KEYMAP_FILE))
}
