import { lstat, realpath, stat, type Stats } from 'node:fs';
import { realpathSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

type StatCallback = (error: NodeJS.ErrnoException | null, stats: Stats) => void;

export interface LinkGuard {
  /** Given to fast-glob as its `fs`: the walker stats every symbolic link it meets through it. */
  readonly fs: { stat: (path: string, callback: StatCallback) => void };
  /** Folder links not followed, relative to the root, with where they lead. */
  readonly skipped: Map<string, string>;
  /** File links into the tree: the link's absolute path to its target, relative to the root. */
  readonly fileLinks: Map<string, string>;
}

/**
 * Keeps a glob from walking in circles: a folder link that leads back into the tree (`tests/loop
 * -> ..`, or to any folder under the root) or to a folder holding the link itself is not followed,
 * since what it leads to is walked anyway (or would be walked forever). Links that lead out of the
 * tree (shared tests checked out beside it) are followed as before. File links into the tree are
 * noted so that a file reached twice is listed once.
 */
export function createLinkGuard(root: string): LinkGuard {
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch {
    rootReal = resolve(root);
  }
  const skipped = new Map<string, string>();
  const fileLinks = new Map<string, string>();
  const guardedStat = (path: string, callback: StatCallback): void => {
    stat(path, (error, stats) => {
      if (error !== null) return callback(error, stats);
      // the walker only stats links; a static pattern stats its path too, which is rarely a link
      lstat(path, (lstatError, own) => {
        if (lstatError !== null || !own.isSymbolicLink()) return callback(null, stats);
        realpath(path, (realError, target) => {
          if (realError !== null) return callback(null, stats);
          if (stats.isFile()) {
            if (inside(target, rootReal)) fileLinks.set(resolve(path), relative(rootReal, target).split(sep).join('/'));
            return callback(null, stats);
          }
          if (!stats.isDirectory()) return callback(null, stats);
          realpath(dirname(path), (parentError, parent) => {
            if (inside(target, rootReal) || (parentError === null && inside(parent, target))) {
              skipped.set(relative(root, path).split(sep).join('/'), relative(rootReal, target).split(sep).join('/') || '.');
              return callback(null, notFollowed(stats));
            }
            callback(null, stats);
          });
        });
      });
    });
  };
  return { fs: { stat: guardedStat }, skipped, fileLinks };
}

function inside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/** The link's stats as neither a folder nor a file: the walker neither descends nor lists it. */
function notFollowed(stats: Stats): Stats {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(stats) as object) as Stats, stats);
  copy.isDirectory = () => false;
  copy.isFile = () => false;
  copy.isSymbolicLink = () => true;
  return copy;
}
