use std::process::ExitCode;

fn main() -> ExitCode {
    rasoat::cli::main()
}
