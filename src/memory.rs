//! What the server's allocator (mimalloc, chosen in `main.rs`) gives back to the system.
//!
//! mimalloc returns freed memory to the system 10 ms after it is freed, but only when the
//! thread that owns it next allocates or frees. Startup (migrations, the taxonomy, the demo seed
//! and its password hash) frees tens of MiB on threads that then sit idle, so an idle server
//! kept them: 93 MiB resident after `serve --demo` on an empty file, 46 MiB on a seeded one.
//! During startup freed memory goes back at once; afterwards the default delay returns, so
//! requests reuse their memory instead of paying a system call per freed page.
//!
//! A server also runs without transparent huge pages, and hands back what the C allocator
//! (SQLite's page caches) freed during startup; both measured below.
#![expect(
    unsafe_code,
    reason = "mimalloc's options and collection, prctl, malloc_trim and sqlite3_config are C functions"
)]

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_t` (the bindings do not name it): the
/// option after `mi_option_eager_commit_delay` (14), before `mi_option_use_numa_nodes` (16),
/// which an earlier version set by mistake.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// mimalloc's default purge delay, in milliseconds.
const DEFAULT_PURGE_DELAY_MS: std::ffi::c_long = 10;

/// Freed memory goes back to the system at once (while a server starts: other commands, such
/// as a large `seed`, keep the default delay and its fewer system calls).
pub fn release_freed_memory_at_once() {
    // SAFETY: setting an option is a plain store mimalloc reads on its next purge decision.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
}

/// Transparent huge pages off for this process, also where the system gives them unasked
/// (`always`): mimalloc (built without asking for them, `no_thp`) still gets them there, and a
/// few touched bytes then keep 2 MiB resident.
pub fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process (an error leaves it as it was,
    // which is harmless).
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0)
    };
}

/// Startup is over: freed memory goes back after mimalloc's usual delay, and what this thread
/// and exited threads still hold is returned now, as is what the C allocator holds free (the
/// setup connection's SQLite page cache: 2.5 MiB).
pub fn startup_done() {
    // SAFETY: as above; `mi_collect` only frees memory that holds no live allocation, and
    // `malloc_trim` only returns glibc's free pages.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, DEFAULT_PURGE_DELAY_MS);
        libmimalloc_sys::mi_collect(true);
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        libc::malloc_trim(0);
    }
}

/// SQLite without its memory statistics. With them on (SQLite's default) every allocation SQLite
/// makes takes one process-wide mutex, and sqlx runs each connection on a thread of its own, so
/// the connections queued on it: a profile of `bench/compare.sh`'s Q2 on SQLite (50 candidates
/// with their skills) had a seventh of the SQLite threads' time in that mutex's futex waits and
/// wake-ups (`sqlite3Malloc` under `sqlite3_value_dup`, which sqlx calls for every value it
/// reads). Nothing here reads the statistics. SQLite takes the setting only before it first
/// initializes, so the first connection asks for it (`database::connect_with`).
pub fn sqlite_without_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int. Before SQLite initializes it sets a flag;
        // afterwards SQLite answers SQLITE_MISUSE and changes nothing.
        let code = unsafe {
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, std::ffi::c_int::from(0_u8))
        };
        if code != libsqlite3_sys::SQLITE_OK {
            tracing::debug!(code, "SQLite was initialized before; its memory statistics stay on");
        }
    });
}
