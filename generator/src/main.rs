//! `cargo run -p generator [-- --check | SPEC --out DIR]`; see [`generator::cli`].

/// Generation builds and drops millions of small token and syntax-tree values; the system
/// allocator spends a third of the run on them, mimalloc far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let code = generator::cli::run(
        std::env::args_os().skip(1),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    std::process::exit(code);
}
