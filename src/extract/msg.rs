//! Outlook `.msg` files (MS-OXMSG, a compound file) with the `msg_parser`
//! crate: the envelope as metadata, the body as text (the HTML body laid
//! out when there is no plain one), and the attachments' names.

use super::{ExtractError, Extracted};

pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let msg = msg_parser::Outlook::from_slice(bytes)
        .map_err(|e| ExtractError::Damaged("Outlook message", e.to_string()))?;
    let person = |p: &msg_parser::Person| match (p.name.trim(), p.email.trim()) {
        ("", email) => email.to_string(),
        (name, "") => name.to_string(),
        (name, email) if name == email => email.to_string(),
        (name, email) => format!("{name} <{email}>"),
    };
    let people = |list: &[msg_parser::Person]| {
        list.iter()
            .map(person)
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let date = [
        &msg.client_submit_time,
        &msg.message_delivery_time,
        &msg.headers.date,
        &msg.creation_time,
    ]
    .into_iter()
    .find(|d| !d.trim().is_empty())
    .cloned()
    .unwrap_or_default();
    let attachments: Vec<String> = msg
        .attachments
        .iter()
        .map(|a| {
            [&a.long_file_name, &a.file_name, &a.display_name]
                .into_iter()
                .find(|n| !n.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| "(unnamed)".to_string())
        })
        .collect();
    let mut meta = Vec::new();
    for (key, value) in [
        ("from", person(&msg.sender)),
        ("to", people(&msg.to)),
        ("cc", people(&msg.cc)),
        ("date", date),
        ("subject", msg.subject.clone()),
        ("message id", msg.headers.message_id.clone()),
        ("attachments", attachments.join("; ")),
    ] {
        let value = value.trim();
        if !value.is_empty() {
            meta.push((
                key.to_string(),
                crate::model::prefix_within(value, 4000).to_string(),
            ));
        }
    }
    let text = if msg.body.trim().is_empty() && !msg.html.trim().is_empty() {
        crate::preview::html_to_text(&msg.html, 100)
    } else {
        msg.body.replace("\r\n", "\n")
    };
    Ok(Extracted {
        text,
        meta,
        ..Extracted::default()
    })
}
