// What /proc says about a process and the machine (Linux only).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/**
 * CPU seconds (user + system) the process has used so far.
 * @param {number} pid
 */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * Resident set size in bytes (VmRSS of /proc/<pid>/status).
 * @param {number} pid
 */
export function rssBytes(pid) {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) {
    throw new Error(`No VmRSS for pid ${pid}`);
  }
  return Number(match[1]) * 1024;
}

/** Busy and total jiffies of the whole machine (the first line of /proc/stat). */
export function machineTicks() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const numbers = values.map(Number);
  const idle = numbers[3] + (numbers[4] ?? 0);
  const total = numbers.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Share of the machine's CPUs that were busy between two machineTicks() samples (0–1).
 * @param {{ busy: number, total: number }} before
 * @param {{ busy: number, total: number }} after
 */
export function busyShare(before, after) {
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : 0;
}

/** The soft limit on open files of this process (children inherit it). */
export function openFileLimit() {
  const text = execFileSync('sh', ['-c', 'ulimit -n']).toString().trim();
  return text === 'unlimited' ? Infinity : Number(text);
}

/** The machine as the report describes it. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    ramMiB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    openFileLimit: openFileLimit(),
  };
}
