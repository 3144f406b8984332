// The CPU time Chromium's processes and threads have used, read from Linux's
// /proc, by role: what the page's workers got of the cores, and what the
// page's main thread, the renderer's other threads (compositor, thread
// pool), the GPU process and the browser process took from them while a
// run went on. Nothing here is Chromium's API: thread names and the
// `--type=` switch are what Chromium shows in /proc on Linux.

import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (`getconf CLK_TCK`: 100 on Linux). */
const TICKS_PER_SECOND = 100;

export const ROLES = ['workers', 'page_main', 'renderer_other', 'gpu', 'browser', 'other'];

/** The fields after `(comm)` of a /proc stat line, and the comm itself. */
function parseStat(text) {
  const close = text.lastIndexOf(')');
  return { comm: text.slice(text.indexOf('(') + 1, close), fields: text.slice(close + 2).split(' ') };
}

function readOrNull(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The process or thread ended between listing and reading it.
    return null;
  }
}

/** Every process below this one (`node`, which launched Chromium). */
function descendants() {
  const parentOf = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOrNull(`/proc/${name}/stat`);
    if (stat) parentOf.set(Number(name), Number(parseStat(stat).fields[1]));
  }
  const below = (pid) => {
    for (let at = parentOf.get(pid); at !== undefined && at > 1; at = parentOf.get(at)) {
      if (at === process.pid) return true;
    }
    return false;
  };
  return [...parentOf.keys()].filter(below);
}

/**
 * A process's role from its command line, or a thread's within a renderer.
 * A process without `--type=` is the browser (the crash handler, which has
 * none either, uses no CPU while nothing crashes).
 */
function roleOf(type, pid, tid, comm) {
  if (type === 'renderer') {
    // Dedicated workers' threads are "DedicatedWorker thread", cut to 15 characters.
    if (comm.startsWith('DedicatedWorker')) return 'workers';
    return tid === pid ? 'page_main' : 'renderer_other';
  }
  if (type === 'gpu-process') return 'gpu';
  if (type === null) return 'browser';
  return 'other';
}

/**
 * Every Chromium thread's CPU milliseconds (user + system) so far, with its
 * role, keyed by process, thread and start time (a thread id can be used
 * again). Only Linux has /proc: elsewhere `null`, and the figures are left out.
 */
export function chromiumCpuMs() {
  let pids;
  try {
    pids = descendants();
  } catch {
    return null;
  }
  const threads = new Map();
  for (const pid of pids) {
    const cmdline = readOrNull(`/proc/${pid}/cmdline`);
    if (cmdline === null) continue;
    // Chromium rewrites its command line as one string: split on spaces too.
    const typeSwitch = cmdline.split(/[\0 ]/).find((arg) => arg.startsWith('--type='));
    const type = typeSwitch ? typeSwitch.slice('--type='.length) : null;
    let tids;
    try {
      tids = readdirSync(`/proc/${pid}/task`).map(Number);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const stat = readOrNull(`/proc/${pid}/task/${tid}/stat`);
      if (stat === null) continue;
      const { comm, fields } = parseStat(stat);
      // utime, stime and starttime: the 14th, 15th and 22nd fields of stat(5).
      const ticks = Number(fields[11]) + Number(fields[12]);
      threads.set(`${pid}/${tid}/${fields[19]}`, {
        role: roleOf(type, pid, tid, comm),
        ms: (ticks * 1000) / TICKS_PER_SECOND,
      });
    }
  }
  return threads;
}

/**
 * The CPU milliseconds each role used between two readings, thread by
 * thread: a thread that started in between counts from zero; one that
 * ended in between is left out (its last reading is gone with it), rather
 * than taking its whole life's time off its role.
 */
export function cpuMsBetween(before, after) {
  if (before === null || after === null) return null;
  const byRole = Object.fromEntries(ROLES.map((role) => [role, 0]));
  for (const [key, { role, ms }] of after) {
    byRole[role] += ms - (before.get(key)?.ms ?? 0);
  }
  return byRole;
}
