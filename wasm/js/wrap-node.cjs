'use strict';
// The Node entry point of the OneFinOps GST core: the wasm-bindgen `nodejs` build, instantiated
// synchronously when this module is loaded, under the JS API of api.js (spliced in by build.sh).

const raw = require('./onefinops_wasm.js');

/* @API@ */

const api = createApi(raw, null);

/** Node loads the module synchronously; init() exists for code shared with the web build. */
api.init = function init() {
  return Promise.resolve();
};
api.initSync = function initSync() {};
api.default = api;

module.exports = api;
