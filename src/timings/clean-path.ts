import { normalisePath } from '../paths.js';

// Only paths with a backslash, a doubled slash, a "." segment or a leading or trailing "/" change when
// normalised; testing for them first keeps 100,000-key timing maps cheap.
const NEEDS_NORMALISING = /\\|\/\/|(?:^|\/)\.(?:\/|$)|^\/|\/$/;

/** normalisePath, skipped for the (usual) path that is already clean. */
export function cleanPath(path: string): string {
  return NEEDS_NORMALISING.test(path) ? normalisePath(path) : path;
}
