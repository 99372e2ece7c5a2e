use std::process::ExitCode;

/// The allocator of the binary (and of the benchmarks, so they measure what ships). The
/// `system-alloc` feature leaves the system allocator in place, for heap profilers such as
/// heaptrack that follow `malloc`.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    rasoat::cli::main()
}
