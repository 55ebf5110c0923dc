// ES module entry point for Node: the same API as index.cjs.
import api from './index.cjs';

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
  init,
  initSync,
} = api;
export default api;
