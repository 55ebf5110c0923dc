//! The printable QR code of an e-invoice, rendered locally (no call to `/v1/einvoices/qrimage`),
//! so a printing pipeline works offline.
//!
//! What goes into the symbol is the whole `signedQrCode` JWS, as NIC asks (nic-rules B.10: a
//! verifier app checks the signature from the scan). A signed QR is about 700-1,200 characters,
//! so error correction M is tried first and L if the text is too long for M. The image is a
//! 1-bit grayscale PNG with the 4-module quiet zone the QR standard requires; at the default
//! 4 px per module a typical code is about 500 px wide (ClearTax suggests printing it at about
//! 2 x 2 inches).

use qrcode::{Color, EcLevel, QrCode};

/// Pixels per module by default.
pub const DEFAULT_MODULE_PX: u32 = 4;
/// Light modules on each side.
pub const QUIET_ZONE_MODULES: u32 = 4;

/// Why no image could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// Not a compact JWS.
    #[error("not a signed QR code (expected a compact JWS: header.payload.signature)")]
    NotAJws,
    /// Too long for any QR version.
    #[error("the text does not fit in a QR code: {0}")]
    TooLong(String),
    /// The PNG encoder failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
}

/// Renders a `signedQrCode` as a PNG (`module_px` pixels per module, clamped to 1-32).
pub fn png_from_signed_qr(signed_qr_code: &str, module_px: u32) -> Result<Vec<u8>, QrError> {
    let jws = signed_qr_code.trim();
    let parts: Vec<&str> = jws.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(QrError::NotAJws);
    }
    png_from_text(jws, module_px)
}

/// Renders any text as a QR PNG.
pub fn png_from_text(text: &str, module_px: u32) -> Result<Vec<u8>, QrError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L))
        .map_err(|e| QrError::TooLong(e.to_string()))?;
    let modules = u32::try_from(code.width()).map_err(|e| QrError::TooLong(e.to_string()))?;
    let dark: Vec<bool> = code.to_colors().iter().map(|c| *c == Color::Dark).collect();
    let px = module_px.clamp(1, 32);
    let side_modules = modules + 2 * QUIET_ZONE_MODULES;
    let side = side_modules * px;
    // One bit per pixel, rows padded to whole bytes; 1 = white, 0 = black.
    let row_bytes = side.div_ceil(8) as usize;
    let mut data = vec![0u8; row_bytes * side as usize];
    for y in 0..side {
        let my = y / px;
        let row = &mut data[y as usize * row_bytes..(y as usize + 1) * row_bytes];
        for x in 0..side {
            let mx = x / px;
            let in_symbol = (QUIET_ZONE_MODULES..QUIET_ZONE_MODULES + modules).contains(&mx)
                && (QUIET_ZONE_MODULES..QUIET_ZONE_MODULES + modules).contains(&my);
            let is_dark = in_symbol && {
                let i = ((my - QUIET_ZONE_MODULES) * modules + (mx - QUIET_ZONE_MODULES)) as usize;
                dark[i]
            };
            if !is_dark {
                row[(x / 8) as usize] |= 0x80 >> (x % 8);
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, side, side);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::One);
        let mut writer = enc
            .write_header()
            .map_err(|e| QrError::Png(e.to_string()))?;
        writer
            .write_image_data(&data)
            .map_err(|e| QrError::Png(e.to_string()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_png_of_the_right_size() {
        let jws = format!("{}.{}.{}", "a".repeat(40), "b".repeat(800), "c".repeat(342));
        let png = png_from_signed_qr(&jws, 2).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(png.as_slice());
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!(info.width, info.height);
        assert_eq!(info.width % 2, 0);
        assert!(png_from_signed_qr("not-a-jws", 4).is_err());
    }

    #[test]
    fn every_module_of_the_image_is_the_symbol_of_the_jws() {
        let jws = format!(
            "{}.{}.{}",
            "h".repeat(120),
            "p".repeat(700),
            "s".repeat(342)
        );
        let px = 3;
        let png = png_from_signed_qr(&format!(" {jws}\n"), px).unwrap();
        let mut decoder = png::Decoder::new(png.as_slice());
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        // The symbol of the trimmed JWS, at level M, with a 4-module quiet zone.
        let code = QrCode::with_error_correction_level(jws.as_bytes(), EcLevel::M).unwrap();
        let n = code.width() as u32;
        assert_eq!(info.width, (n + 2 * QUIET_ZONE_MODULES) * px);
        assert_eq!(info.height, info.width);
        let colors = code.to_colors();
        let at =
            |mx: u32, my: u32| buf[((my * px + px / 2) * info.width + mx * px + px / 2) as usize];
        for my in 0..n + 2 * QUIET_ZONE_MODULES {
            for mx in 0..n + 2 * QUIET_ZONE_MODULES {
                let inside = (QUIET_ZONE_MODULES..QUIET_ZONE_MODULES + n).contains(&mx)
                    && (QUIET_ZONE_MODULES..QUIET_ZONE_MODULES + n).contains(&my);
                let dark = inside
                    && colors[((my - QUIET_ZONE_MODULES) * n + (mx - QUIET_ZONE_MODULES)) as usize]
                        == Color::Dark;
                assert_eq!(at(mx, my), if dark { 0 } else { 255 }, "module ({mx},{my})");
            }
        }
    }
}
