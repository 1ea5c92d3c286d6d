import { normalisePath } from '../paths.js';

/**
 * Whether normalisePath could change `path`. Only a backslash, an empty segment (a leading,
 * trailing or doubled "/") or a "." segment change it; this test is a cheap superset of those
 * (a hidden `.github/x` or `a/.b` also answers true and is normalised to itself), done with native
 * substring searches instead of a regex so that 100,000-path lists and timing maps stay cheap.
 */
export function mayNeedNormalising(path: string): boolean {
  const first = path.charCodeAt(0);
  return (
    first === 47 /* / */ ||
    first === 46 /* . */ ||
    path.charCodeAt(path.length - 1) === 47 ||
    path.includes('/.') ||
    path.includes('//') ||
    path.includes('\\')
  );
}

/** normalisePath, skipped for the (usual) path that is already clean. Same result for every input. */
export function cleanPath(path: string): string {
  return mayNeedNormalising(path) ? normalisePath(path) : path;
}
