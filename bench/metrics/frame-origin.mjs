/**
 * Where a profiled frame's code lives, for the profile summaries (CPU and allocation): a package,
 * Parley's own source, or Node.
 * @param {string} url  the frame's script URL ('' for native and V8 frames)
 */
export function origin(url) {
  if (!url) {
    return '(native / V8)';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    return pkg[1];
  }
  const own = /\/dist\/(.+)$/.exec(url);
  if (own) {
    return `parley ${own[1]}`;
  }
  return url.startsWith('node:') ? url : url.replace(/^.*\//, '');
}
