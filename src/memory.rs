//! What the server's allocator (mimalloc, chosen in `main.rs`) gives back to the system.
//!
//! mimalloc returns freed memory to the system 10 ms after it is freed, but only when the
//! thread that owns it next allocates or frees. Startup (migrations, the taxonomy, the demo seed
//! and its password hash) frees tens of MiB on threads that then sit idle, so an idle server
//! kept them: 93 MiB resident after `serve --demo` on an empty file, 46 MiB on a seeded one.
//! During startup freed memory goes back at once; afterwards the default delay returns, so
//! requests reuse their memory instead of paying a system call per freed page.
#![expect(unsafe_code, reason = "mimalloc's options and collection are C functions")]

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_t` (the bindings do not name it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 16;
/// mimalloc's default purge delay, in milliseconds.
const DEFAULT_PURGE_DELAY_MS: std::ffi::c_long = 10;

/// Freed memory goes back to the system at once (while a server starts: other commands, such
/// as a large `seed`, keep the default delay and its fewer system calls).
pub fn release_freed_memory_at_once() {
    // SAFETY: setting an option is a plain store mimalloc reads on its next purge decision.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
}

/// Startup is over: freed memory goes back after mimalloc's usual delay, and what this thread
/// and exited threads still hold is returned now.
pub fn startup_done() {
    // SAFETY: as above; `mi_collect` only frees memory that holds no live allocation.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, DEFAULT_PURGE_DELAY_MS);
        libmimalloc_sys::mi_collect(true);
    }
}
