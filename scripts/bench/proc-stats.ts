// Owns reading the memory of the benchmark's processes from /proc (Linux): the process tree below
// the bench (DynamoDB Local's JVM, serverless-offline and its esbuild service), each one's resident
// set now (VmRSS) and at its peak (VmHWM), and resetting the peak so each phase gets its own.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

export interface ProcessMemory {
  pid: number;
  name: string;
  /** Resident set now, MiB. */
  rssMiB: number;
  /** Peak resident set since start or the last resetPeaks(), MiB. */
  peakMiB: number;
}

function statusField(pid: number, field: string): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined; // gone, or not Linux
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // The command name (field 2) is in parentheses and may hold spaces; the parent follows it.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/** The process's start time (clock ticks since boot): with the pid, it names one process for good. */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
}

/** Every process id in /proc (none where /proc cannot be read). */
function livePids(): number[] {
  try {
    return readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return [];
  }
}

/** Every live process below `root` (children, grandchildren, ...). */
export function descendants(root: number): number[] {
  const pids = livePids();
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** A short name for a process of the local stack, from its command line. */
export function describeProcess(pid: number): string {
  const command = commandLine(pid);
  if (command.includes("DynamoDBLocal.jar")) return "DynamoDB Local (JVM)";
  if (command.includes("serverless.js") && command.includes("offline")) return "serverless-offline";
  if (command.includes("esbuild") && command.includes("--service")) {
    return parentOf(pid) === process.pid
      ? "esbuild (tsx loader of the bench)"
      : "esbuild (serverless-esbuild)";
  }
  return command.slice(0, 60) || `pid ${pid}`;
}

/** The bench process itself (load generator, SQS emulator, pollers, DynamoDB counter) and its tree. */
export function stackProcesses(): { pid: number; name: string }[] {
  return [
    { pid: process.pid, name: "bench (load generator, fauxqs, SQS pollers, DynamoDB counter)" },
    ...descendants(process.pid).map((pid) => ({ pid, name: describeProcess(pid) })),
  ];
}

export function readMemory(processes: { pid: number; name: string }[]): ProcessMemory[] {
  return processes.flatMap(({ pid, name }) => {
    const rss = statusField(pid, "VmRSS");
    const peak = statusField(pid, "VmHWM");
    if (rss === undefined || peak === undefined) return [];
    return [{ pid, name, rssMiB: round(rss), peakMiB: round(peak) }];
  });
}

/**
 * Resets each process's peak resident set to its current one (`echo 5 > /proc/<pid>/clear_refs`,
 * Linux 4.0+, own processes). Returns false when the kernel refused, so peaks are since start.
 */
export function resetPeaks(processes: { pid: number }[]): boolean {
  let all = true;
  for (const { pid } of processes) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, "5");
    } catch {
      all = false;
    }
  }
  return all;
}

const round = (mib: number) => Math.round(mib * 10) / 10;

/** Seconds of CPU (user + system) a process has used so far; Linux's USER_HZ is 100. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds per process over a phase: call the result when the phase ends. */
export function measureCpu(processes: { pid: number; name: string }[]) {
  const before = new Map(processes.map(({ pid }) => [pid, cpuSecondsOf(pid) ?? 0]));
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    return processes.map(({ pid, name }) => {
      const used = (cpuSecondsOf(pid) ?? 0) - (before.get(pid) ?? 0);
      return {
        pid,
        name,
        cpuSeconds: Math.round(used * 10) / 10,
        cores: Math.round((used / seconds) * 100) / 100,
      };
    });
  };
}

/** Load from elsewhere: test runners, other stacks and JVMs on the machine that are not this run's. */
export function otherHeavyProcesses(): string[] {
  const ours = new Set([process.pid, ...descendants(process.pid)]);
  const pids = livePids();
  return pids
    .filter((pid) => !ours.has(pid))
    .map((pid) => commandLine(pid))
    .filter((command) => /vitest|serverless|java|tsc|esbuild/.test(command) && !/^npm /.test(command))
    .map((command) => command.replace(/\s+-D\S+/g, "").slice(0, 100));
}

/** Samples RSS every `everyMs` until stopped: the profile over a phase, to judge whether it is flat. */
export function sampleMemory(processes: { pid: number; name: string }[], everyMs = 1000) {
  const samples: { atMs: number; memory: ProcessMemory[] }[] = [];
  const start = Date.now();
  const take = () => samples.push({ atMs: Date.now() - start, memory: readMemory(processes) });
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** Busy CPU seconds of the whole machine so far (all cores), from /proc/stat. */
function machineBusySeconds(): number {
  try {
    const fields =
      readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return 0;
  }
}

export interface ForeignLoad {
  /** CPU cores used by processes outside this run, on average over the phase. */
  othersCores: number;
  /** Heavy processes outside this run (test runners, stacks), as seen every 5 s. */
  seen: string[];
}

/** Watches load from elsewhere over a phase: call the result when the phase ends. */
export function watchForeignLoad(): () => ForeignLoad {
  const ours = () => [process.pid, ...descendants(process.pid)];
  // Our processes' CPU is summed per pid, so a child that exits during the phase is not counted;
  // phases are measured while the stack's process set is stable.
  const startBusy = machineBusySeconds();
  const startOurs = new Map(ours().map((pid) => [pid, cpuSecondsOf(pid) ?? 0]));
  const started = performance.now();
  const seen = new Set<string>();
  const look = () => {
    for (const command of otherHeavyProcesses()) seen.add(command.split(" ").slice(0, 2).join(" "));
  };
  look();
  const timer = setInterval(look, 5000);
  return () => {
    clearInterval(timer);
    look();
    const seconds = (performance.now() - started) / 1000;
    const oursNow = ours();
    const ourDelta = oursNow.reduce(
      (sum, pid) => sum + (cpuSecondsOf(pid) ?? 0) - (startOurs.get(pid) ?? 0),
      0,
    );
    const others = machineBusySeconds() - startBusy - ourDelta;
    return { othersCores: Math.max(0, Math.round((others / seconds) * 100) / 100), seen: [...seen] };
  };
}
