/** The version every program prints and the proxy reports as `server_version` (kept equal to package.json). */
export const VERSION = '0.1.0';
/** The product name shown next to the version. */
export const PRODUCT = 'tsh-aws';
