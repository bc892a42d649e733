//! DKIM public keys the user supplies: a file of TXT records, one per
//! `selector._domainkey.domain` name, as `dig` prints them or as a zone
//! file holds them.
//!
//! ```text
//! # comments and blank lines are skipped
//! s1._domainkey.example.com  "v=DKIM1; k=rsa; p=MIIBIjANBg…"
//! s1._domainkey.example.com. 300 IN TXT "v=DKIM1; k=rsa; " "p=MIIBIjANBg…"
//! s2._domainkey.example.org  v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
//! ```

/// One key: the lower-case name without the final dot, and the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    pub name: String,
    pub record: String,
}

/// A line that is not a key, with its number (from 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {why}")]
pub struct KeyLineError {
    pub line: usize,
    pub why: String,
}

/// The keys of a key file, and the lines that could not be read.
pub fn parse_key_file(text: &str) -> (Vec<KeyRecord>, Vec<KeyLineError>) {
    let mut keys = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        match parse_line(line) {
            Ok(k) => keys.push(k),
            Err(why) => errors.push(KeyLineError { line: i + 1, why }),
        }
    }
    (keys, errors)
}

fn parse_line(line: &str) -> Result<KeyRecord, String> {
    let (name, rest) = line
        .split_once(char::is_whitespace)
        .ok_or("a name and a TXT record are needed")?;
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if !name.contains("._domainkey.") {
        return Err(format!("{name:?} is not a selector._domainkey.domain name"));
    }
    // Skip what a zone file or dig puts before the record: TTL, class, type.
    let mut rest = rest.trim_start();
    loop {
        let word = rest.split_whitespace().next().unwrap_or("");
        let skip = word.chars().all(|c| c.is_ascii_digit()) && !word.is_empty()
            || word.eq_ignore_ascii_case("IN")
            || word.eq_ignore_ascii_case("TXT");
        if !skip {
            break;
        }
        rest = rest[word.len()..].trim_start();
    }
    let record = if rest.starts_with('"') {
        quoted_strings(rest)?
    } else {
        rest.to_string()
    };
    if !record.contains("p=") {
        return Err("the record has no public key (p=)".into());
    }
    Ok(KeyRecord { name, record })
}

/// `"a" "b"` as `ab` (TXT records longer than 255 bytes are split so).
fn quoted_strings(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = s.chars();
    loop {
        match chars.next() {
            None => return Ok(out),
            Some(c) if c.is_whitespace() => {}
            Some('"') => loop {
                match chars.next() {
                    None => return Err("a quoted string is not closed".into()),
                    Some('"') => break,
                    Some('\\') => out.extend(chars.next()),
                    Some(c) => out.push(c),
                }
            },
            Some(c) => return Err(format!("unexpected {c:?} between quoted strings")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_dig_and_zone_file_lines_are_read() {
        let text = "# keys for the campaign\n\
            s1._domainkey.Campagne.example  v=DKIM1; k=rsa; p=AAAA\n\
            \n\
            s2._domainkey.campagne.example. 300 IN TXT \"v=DKIM1; k=rsa; \" \"p=BB\\\"B\"\n\
            ; a zone comment\n\
            www.campagne.example \"v=DKIM1; p=CC\"\n\
            s3._domainkey.campagne.example \"v=DKIM1; k=rsa\"\n\
            s4._domainkey.campagne.example \"v=DKIM1; p=DD\n";
        let (keys, errors) = parse_key_file(text);
        assert_eq!(
            keys,
            [
                KeyRecord {
                    name: "s1._domainkey.campagne.example".into(),
                    record: "v=DKIM1; k=rsa; p=AAAA".into()
                },
                KeyRecord {
                    name: "s2._domainkey.campagne.example".into(),
                    record: "v=DKIM1; k=rsa; p=BB\"B".into()
                },
            ]
        );
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [6, 7, 8], "{errors:?}");
        assert!(errors[0]
            .why
            .contains("not a selector._domainkey.domain name"));
        assert!(errors[1].why.contains("no public key"));
        assert!(errors[2].why.contains("not closed"));
    }
}
