use std::process::ExitCode;

/// The allocator of the binary (and of the benchmarks, so they measure what ships).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    rasoat::cli::main()
}
