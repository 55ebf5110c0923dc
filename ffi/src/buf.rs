//! `ofn_buf`: every byte string the library hands out, and its one free function.

#![allow(non_camel_case_types)]

use std::ptr;

/// Bytes owned by the library: a JSON text (UTF-8), or the PNG of `ofn_qr_png`.
///
/// `data` points to `len` bytes followed by one NUL byte that `len` does not count, so a JSON
/// result can be used as a C string as is. Free it with `ofn_buf_free` and nothing else (not
/// `free()`), and do not change `data` or `len`. An empty buffer is `{NULL, 0}`.
#[repr(C)]
#[derive(Debug)]
pub struct ofn_buf {
    /// The bytes, followed by a NUL; NULL when empty or freed.
    pub data: *mut u8,
    /// The number of bytes, without the trailing NUL.
    pub len: usize,
}

impl ofn_buf {
    /// A buffer holding a copy of `bytes` plus a trailing NUL.
    pub fn from_bytes(bytes: &[u8]) -> ofn_buf {
        let mut owned = Vec::with_capacity(bytes.len() + 1);
        owned.extend_from_slice(bytes);
        owned.push(0);
        let boxed: Box<[u8]> = owned.into_boxed_slice();
        ofn_buf {
            data: Box::into_raw(boxed).cast::<u8>(),
            len: bytes.len(),
        }
    }
}

/// Frees a buffer the library wrote, and sets it to `{NULL, 0}`, so that freeing it twice is
/// harmless. `buf` NULL, or a buffer already freed or never written (`{NULL, 0}`), is a no-op.
///
/// # Safety
///
/// `buf` is NULL or points to an `ofn_buf` that is `{NULL, 0}` or was written by this library
/// and not modified since.
#[no_mangle]
pub unsafe extern "C" fn ofn_buf_free(buf: *mut ofn_buf) {
    // No panic boundary is needed: nothing below can panic (no allocation, no formatting).
    if buf.is_null() {
        return;
    }
    // SAFETY: the caller passes a valid, writable ofn_buf.
    let b = unsafe { &mut *buf };
    if !b.data.is_null() {
        // SAFETY: `data` came from `Box::<[u8]>::into_raw` of `len + 1` bytes (from_bytes).
        drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(b.data, b.len + 1)) });
    }
    b.data = ptr::null_mut();
    b.len = 0;
}
