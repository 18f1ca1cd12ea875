//! `cargo run -p generator [-- --check | SPEC --out DIR]`; see [`generator::cli`].

fn main() {
    let code = generator::cli::run(
        std::env::args_os().skip(1),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    std::process::exit(code);
}
