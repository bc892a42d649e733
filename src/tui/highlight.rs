//! Where the words of a search appear in a line of the preview: whole
//! words, compared without case, as the full-text index matched them.

/// Byte ranges of `line` holding one of `words` (lower-case) as a whole
/// word, in order. Lines whose lower-case form has another length (rare
/// scripts) are not marked rather than marked wrong.
pub fn hits(line: &str, words: &[String]) -> Vec<(usize, usize)> {
    if words.is_empty() {
        return Vec::new();
    }
    let lower = line.to_lowercase();
    if lower.len() != line.len() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in lower
        .char_indices()
        .chain(std::iter::once((lower.len(), ' ')))
    {
        match (start, c.is_alphanumeric()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                if words.iter().any(|w| *w == lower[s..i]) {
                    out.push((s, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_without_case() {
        let words = vec!["raptor".to_string(), "deal".to_string()];
        let line = "The Raptor deal, raptors and ideal DEAL.";
        let found: Vec<&str> = hits(line, &words)
            .iter()
            .map(|&(a, b)| &line[a..b])
            .collect();
        assert_eq!(found, ["Raptor", "deal", "DEAL"]);
        assert!(hits(line, &[]).is_empty());
        let accents = "Réunion réunion";
        let w = vec!["réunion".to_string()];
        assert_eq!(hits(accents, &w).len(), 2);
    }
}
