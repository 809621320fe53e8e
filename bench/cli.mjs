// Command-line options of the harness's scripts: `--name=value`.

/**
 * The value of `--name=value` among the process's arguments, or `fallback`.
 * @param {string} name
 * @param {string} fallback
 */
export function cliOption(name, fallback) {
  return (
    process.argv
      .slice(2)
      .find((a) => a.startsWith(`--${name}=`))
      ?.slice(name.length + 3) ?? fallback
  );
}
