// The browser entry point of the OneFinOps GST core: the wasm-bindgen `web` build under the JS
// API of api.js (spliced in by build.sh). Call `await init()` once before anything else; it
// fetches onefinops_wasm_bg.wasm next to this file (or what you pass it).

import initWasm, { initSync as initWasmSync } from './onefinops_wasm.js';
import * as raw from './onefinops_wasm.js';

/* @API@ */

let ready = false;
let pending = null;

function ensureReady() {
  if (!ready) {
    throw new api.OneFinOpsError(
      'not_initialized',
      'call `await init()` before using the OneFinOps WASM module',
    );
  }
}

const api = createApi(raw, ensureReady);

/** Loads and instantiates the module once; later calls return the same promise. */
export function init(moduleOrPath) {
  if (!pending) {
    const arg = moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath };
    pending = initWasm(arg).then(() => {
      ready = true;
    });
  }
  return pending;
}

/** Instantiates the module synchronously from its bytes or a compiled WebAssembly.Module. */
export function initSync(module) {
  if (!ready) {
    initWasmSync({ module });
    ready = true;
  }
}

export const {
  OneFinOpsError,
  validate,
  validateEwaybill,
  prepare,
  toNic,
  fromNic,
  irn,
  irnFromParts,
  checkGstin,
  ewaybillValidity,
  version,
} = api;
export default { ...api, init, initSync };
