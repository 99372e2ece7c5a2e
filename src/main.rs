use std::process::ExitCode;

/// The allocator of the binary (and of the benchmarks, so they measure what ships). The
/// `system-alloc` feature leaves the system allocator in place, for heap profilers such as
/// heaptrack that follow `malloc`.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let code = rasoat::cli::main();
    if std::env::var_os("RASOAT_REPORT_PEAK_RSS").is_some() {
        report_peak_rss();
    }
    code
}

/// Writes the process's peak resident memory to stderr (`rasoat: peak RSS N KiB`), from the
/// kernel's high-water mark of this program's own memory (`VmHWM`). The `ru_maxrss` a parent
/// reads from `wait4` is no measure of it: on Linux it starts from the parent's own peak when
/// the parent spawned the child, so a large test process would hide a small child.
fn report_peak_rss() {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return;
    };
    if let Some(kib) = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().strip_suffix("kB"))
    {
        eprintln!("rasoat: peak RSS {} KiB", kib.trim());
    }
}
