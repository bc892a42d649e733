//! The one gate every string from a dump passes before it reaches a terminal.
//!
//! Dumps are written by adversaries: a subject line can carry an escape
//! sequence that rewrites the screen, sets the clipboard (OSC 52) or hides
//! text behind bidirectional overrides. [`sanitize`] replaces every such
//! character with a visible placeholder, so nothing is executed and nothing is
//! silently hidden. [`sanitize_text`] does the same for multi-line text and
//! keeps the line structure.

use std::borrow::Cow;

/// Tab stops used when expanding tabs in multi-line text.
const TAB_WIDTH: usize = 4;

/// The placeholder shown for a character that must not reach the terminal,
/// or `None` when the character is safe as it is.
fn placeholder(c: char) -> Option<char> {
    match c {
        // C0 controls: the Unicode "control pictures" block shows each one as
        // a visible symbol (ESC becomes '␛'), one column wide.
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32),
        '\u{7f}' => Some('\u{2421}'),
        // C1 controls (0x9b is a one-byte CSI on some terminals), then
        // bidirectional embeddings, overrides, isolates and marks.
        '\u{80}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{061c}' => Some('\u{fffd}'),
        // Invisible format characters (Unicode category Cf: zero-width
        // spaces and joiners, word joiners, the deprecated format
        // controls, interlinear annotations, the "tag" characters that
        // can smuggle hidden ASCII), and line/paragraph separators that
        // terminals may treat as line breaks.
        '\u{200b}'..='\u{200d}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{2060}'..='\u{2065}'
        | '\u{206a}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{ad}'
        | '\u{34f}'
        | '\u{600}'..='\u{605}'
        | '\u{6dd}'
        | '\u{70f}'
        | '\u{890}'..='\u{891}'
        | '\u{8e2}'
        | '\u{115f}'
        | '\u{1160}'
        | '\u{17b4}'
        | '\u{17b5}'
        | '\u{180b}'..='\u{180f}'
        | '\u{3164}'
        | '\u{ffa0}'
        | '\u{110bd}'
        | '\u{110cd}'
        | '\u{13430}'..='\u{1343f}'
        | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e007f}' => Some('\u{b7}'),
        _ => None,
    }
}

/// True for a character [`sanitize`] would replace (tab excepted).
pub fn is_unsafe(c: char) -> bool {
    placeholder(c).is_some()
}

/// Make a single-line string from a dump safe to draw or print.
///
/// Tabs become one space; every other control, escape, bidi or invisible
/// format character becomes a visible placeholder. Allocates only when
/// something had to change.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c == '\t' || placeholder(c).is_some()) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if c == '\t' {
                    ' '
                } else {
                    placeholder(c).unwrap_or(c)
                }
            })
            .collect(),
    )
}

/// Longest line [`sanitize_text`] keeps: a body that is one 30 MB line
/// would otherwise be wrapped into hundreds of thousands of screen rows.
/// The rest of such a line is counted, not kept.
pub const MAX_LINE_CHARS: usize = 10_000;

/// Make multi-line text from a dump safe to draw: split into lines (on `\n`,
/// `\r\n` or a lone `\r`), expand tabs, sanitize each line, and cut a line
/// longer than [`MAX_LINE_CHARS`] with a note of what was cut.
pub fn sanitize_text(text: &str) -> Vec<String> {
    let normalised = text.replace("\r\n", "\n");
    normalised
        .split(['\n', '\r'])
        .map(|line| match line.char_indices().nth(MAX_LINE_CHARS) {
            Some((cut, _)) => {
                let rest = line[cut..].chars().count();
                format!(
                    "{} … [line cut here: {rest} more characters]",
                    sanitize(&expand_tabs(&line[..cut]))
                )
            }
            None => sanitize(&expand_tabs(line)).into_owned(),
        })
        .collect()
}

fn expand_tabs(line: &str) -> Cow<'_, str> {
    if !line.contains('\t') {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut col = 0;
    for c in line.chars() {
        if c == '\t' {
            let n = TAB_WIDTH - col % TAB_WIDTH;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
        } else {
            out.push(c);
            col += 1;
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            sanitize("Réunion budget — 2017"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escape_sequences_are_neutralised() {
        let evil = "hi\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J there";
        let clean = sanitize(evil);
        assert!(!clean.chars().any(char::is_control), "{clean:?}");
        assert!(clean.contains('\u{241b}'), "ESC shown as a visible symbol");
        assert!(clean.contains("there"));
    }

    #[test]
    fn hidden_ascii_in_tag_characters_and_other_invisibles_show() {
        // "hi" in Unicode tag characters renders as nothing in most
        // terminals: a way to smuggle text past a reader.
        let s = "ok\u{e0068}\u{e0069}\u{180e}\u{3164}\u{2064}\u{34f}";
        let clean = sanitize(s);
        assert_eq!(clean, "ok······");
        assert!(!is_unsafe('é') && !is_unsafe('日') && !is_unsafe('🙂'));
    }

    #[test]
    fn a_line_past_the_limit_is_cut_and_says_so() {
        let text = format!("short\n{}\nafter", "w".repeat(MAX_LINE_CHARS + 25));
        let lines = sanitize_text(&text);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], "short");
        assert!(lines[1].starts_with(&"w".repeat(MAX_LINE_CHARS)));
        assert!(lines[1].ends_with("[line cut here: 25 more characters]"));
        assert_eq!(lines[2], "after");
    }

    #[test]
    fn c1_and_bidi_overrides_are_replaced() {
        let s = "a\u{9b}31m b\u{202e}gnp.exe c\u{2066}d\u{200b}e";
        let clean = sanitize(s);
        for bad in ['\u{9b}', '\u{202e}', '\u{2066}', '\u{200b}'] {
            assert!(!clean.contains(bad), "{bad:?} survived in {clean:?}");
        }
    }

    #[test]
    fn newlines_in_single_line_strings_become_visible() {
        assert_eq!(sanitize("a\nb\rc\td"), "a\u{240a}b\u{240d}c d");
    }

    #[test]
    fn multi_line_text_keeps_lines_and_expands_tabs() {
        let lines = sanitize_text("one\r\ntwo\tx\rthree\u{1b}[1m");
        assert_eq!(lines, vec!["one", "two x", "three\u{241b}[1m"]);
    }
}
