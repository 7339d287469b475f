import { readdir, readFile } from 'node:fs/promises';

/** CPU seconds by process group, from /proc (Linux); undefined elsewhere. */
export interface CpuSnapshot {
  readonly byPid: ReadonlyMap<number, { readonly group: string; readonly seconds: number }>;
  /** The whole machine, CPU seconds over all cores: busy (incl. softirq, where loopback TCP is processed), stolen by the hypervisor, total. */
  readonly machine: { readonly busy: number; readonly softirq: number; readonly steal: number; readonly total: number };
}

// USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK).
const ticksPerSecond = 100;

async function processTimes(pid: number): Promise<{ comm: string; command: string; seconds: number } | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  // "pid (comm) state ppid ..." — comm may contain spaces; utime and stime are fields 14 and 15.
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim();
  return {
    comm: stat.slice(stat.indexOf('(') + 1, close),
    command,
    seconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond,
  };
}

/** `groupOf` names the group of a process from its pid, its name and its command line. */
export async function cpuSnapshot(
  groupOf: (pid: number, comm: string, command: string) => string,
): Promise<CpuSnapshot | undefined> {
  const entries = await readdir('/proc').catch(() => undefined);
  if (entries === undefined) return undefined;
  const byPid = new Map<number, { group: string; seconds: number }>();
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (e) => {
        const pid = Number(e);
        const times = await processTimes(pid);
        if (times !== undefined)
          byPid.set(pid, { group: groupOf(pid, times.comm, times.command), seconds: times.seconds });
      }),
  );
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    (await readFile('/proc/stat', 'utf8'))
      .split('\n')[0]
      ?.trim()
      .split(/\s+/)
      .slice(1)
      .map((n) => Number(n) / ticksPerSecond) ?? [];
  const busy = user + nice + system + irq + softirq;
  return { byPid, machine: { busy, softirq, steal, total: busy + idle + iowait + steal } };
}

/** CPU seconds each group used between two snapshots (processes that exited in between are not counted). */
export function cpuUsed(
  before: CpuSnapshot | undefined,
  after: CpuSnapshot | undefined,
): Record<string, number> | undefined {
  if (before === undefined || after === undefined) return undefined;
  const used: Record<string, number> = {};
  for (const [pid, now] of after.byPid)
    used[now.group] = (used[now.group] ?? 0) + now.seconds - (before.byPid.get(pid)?.seconds ?? 0);
  used['machine busy'] = after.machine.busy - before.machine.busy;
  used['machine softirq'] = after.machine.softirq - before.machine.softirq;
  used['machine steal'] = after.machine.steal - before.machine.steal;
  used['machine total'] = after.machine.total - before.machine.total;
  return used;
}
