//! The rule language: never panics, and every error names a line and column inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasoat_fuzz::check_rule_file;

fuzz_target!(|src: &str| check_rule_file(src));
