//! The mouse end to end: the real binary in tmux asks for clicks and the
//! wheel only, acts on them, and gives the mouse back when it quits;
//! `--no-mouse` and `TRAWL_NO_MOUSE=1` leave it to the terminal. Skips
//! with a printed reason where tmux is missing, except under CI.

mod common;

use common::tmux::{Tmux, SESSION};

/// What the program in the pane asked of the mouse: clicks (1000), SGR
/// coordinates (1006), drags (1002), every movement (1003).
fn mouse_modes(t: &Tmux) -> String {
    t.tmux(&[
        "display",
        "-p",
        "-t",
        SESSION,
        "#{mouse_standard_flag}#{mouse_sgr_flag}#{mouse_button_flag}#{mouse_all_flag}",
    ])
    .trim()
    .to_string()
}

#[test]
fn clicks_and_the_wheel_work_and_the_mouse_is_given_back_on_quit() {
    if !Tmux::available() {
        return;
    }
    let data = common::data_dir();
    let t = Tmux::new("on");
    t.start(&common::sample_dump(), data.path());
    t.wait_for("1 / 50 messages");
    assert_eq!(mouse_modes(&t), "1100", "clicks and SGR only, no motion");
    // A click on the fifth row of the tree (1-based cell 10,6), press and
    // release, selects it.
    t.input("\x1b[<0;10;6M");
    t.input("\x1b[<0;10;6m");
    let screen = t.wait_for("4 / 50 messages");
    assert!(screen.contains("Date: 2017-03-23 18:02:40"), "{screen}");
    assert!(screen.contains("From: Claire Morel"), "{screen}");
    // The wheel over the preview scrolls it (three lines a notch).
    t.input("\x1b[<65;60;8M");
    t.wait_until("the From line scrolled away", |s| {
        !s.contains("From: Claire Morel")
    });
    t.input("q");
    t.wait_for("TRAWL-EXIT=0");
    assert_eq!(mouse_modes(&t), "0000", "the mouse was not given back");
}

#[test]
fn no_mouse_by_flag_or_environment() {
    if !Tmux::available() {
        return;
    }
    let data = common::data_dir();
    for (tag, env, args) in [("flag", "", "--no-mouse"), ("env", "TRAWL_NO_MOUSE=1", "")] {
        let t = Tmux::new(tag);
        t.start_with(env, args, &common::sample_dump(), data.path());
        t.wait_for("1 / 50 messages");
        assert_eq!(mouse_modes(&t), "0000", "{tag}");
        t.input("q");
        t.wait_for("TRAWL-EXIT=0");
    }
}
