//! Styles in the 16 basic ANSI colours (safe over any SSH session), or none
//! at all when `NO_COLOR` is set: then meaning is carried by bold, reverse
//! and underline only, never by colour alone.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

/// Colours cycled through for tags, in hotkey order.
const TAG_COLORS: [Color; 6] = [
    Color::Green,
    Color::Red,
    Color::Yellow,
    Color::Cyan,
    Color::Magenta,
    Color::Blue,
];

/// The colour of a name of [`crate::project::TAG_COLOURS`] (the 16 of
/// every terminal; never RGB or the 256-colour palette).
pub fn colour_named(name: &str) -> Option<Color> {
    Some(match name {
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" => Color::Gray,
        "darkgray" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        "black" => Color::Black,
        _ => return None,
    })
}

/// The colour a tag at `index` has when the user has chosen none.
pub fn default_tag_colour(index: usize) -> Color {
    TAG_COLORS[index % TAG_COLORS.len()]
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    pub fn selected(self, focused: bool) -> Style {
        if focused || !self.color {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().bg(Color::DarkGray).fg(Color::White)
        }
    }

    pub fn border(self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }

    /// A search hit inside the preview.
    pub fn hit(self) -> Style {
        if self.color {
            Style::default().bg(Color::Yellow).fg(Color::Black)
        } else {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
        }
    }

    pub fn unread(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        if self.color {
            self.fg(Color::DarkGray)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }

    pub fn missing(self) -> Style {
        self.dim().add_modifier(Modifier::ITALIC)
    }

    pub fn group(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn date(self) -> Style {
        self.fg(Color::Blue)
    }

    pub fn sender(self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn tree_lines(self) -> Style {
        self.dim()
    }

    pub fn label(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn notice(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn quote(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn section(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn tag(self, index: usize) -> Style {
        self.fg(default_tag_colour(index))
            .add_modifier(Modifier::BOLD)
    }

    /// Tag `index` in the colour the user gave it (`colour`, a name of
    /// [`crate::project::TAG_COLOURS`]), else in its default one.
    pub fn tag_colour(self, index: usize, colour: Option<&str>) -> Style {
        match colour.and_then(colour_named) {
            Some(c) => self.fg(c).add_modifier(Modifier::BOLD),
            None => self.tag(index),
        }
    }

    pub fn error(self) -> Style {
        if self.color {
            Style::default()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn status_bar(self) -> Style {
        if self.color {
            Style::default().bg(Color::Blue).fg(Color::White)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn hint_key(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
}
