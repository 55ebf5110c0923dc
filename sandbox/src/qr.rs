//! The printable QR code: the whole `SignedQRCode` JWS encoded as a QR symbol (nic-rules B.10:
//! "encode the whole SignedQRCode JWS string into the QR"), rendered as an 8-bit grayscale PNG.

use qrcode::{Color, EcLevel, QrCode};

/// Pixels per QR module by default.
pub const DEFAULT_MODULE_PX: u32 = 4;
/// Light modules around the symbol (the quiet zone the QR standard asks for).
pub const QUIET_ZONE: u32 = 4;

/// Renders `text` as a PNG: `module_px` pixels per module, with a 4-module quiet zone, error
/// correction level M (a signed QR of about 1,100 characters fits in version 30 or so).
pub fn png(text: &str, module_px: u32) -> Result<Vec<u8>, String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L))
        .map_err(|e| format!("the text does not fit in a QR code: {e}"))?;
    let modules = code.width() as u32;
    let colors = code.to_colors();
    let px = module_px.clamp(1, 32);
    let side = (modules + 2 * QUIET_ZONE) * px;
    let mut pixels = vec![255u8; (side * side) as usize];
    for my in 0..modules {
        for mx in 0..modules {
            if colors[(my * modules + mx) as usize] == Color::Dark {
                let x0 = (mx + QUIET_ZONE) * px;
                let y0 = (my + QUIET_ZONE) * px;
                for y in y0..y0 + px {
                    let row = (y * side) as usize;
                    pixels[row + x0 as usize..row + (x0 + px) as usize].fill(0);
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, side, side);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(out)
}
