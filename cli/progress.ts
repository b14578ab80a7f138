// Owns showing a batch's progress: a bar on a terminal, and on anything else (CI logs, pipes) one
// line per status change or quarter done, so logs stay short.
import cliProgress from "cli-progress";

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressView {
  update(done: number, status: string): void;
  stop(): void;
}

/** How a non-terminal line is said (the CLI passes its language's). */
export type ProgressLine = (label: string, status: string, done: number, total: number) => string;

const englishLine: ProgressLine = (label, status, done, total) =>
  `${label} ${status}: ${done}/${total} items`;

export function progressView(
  label: string,
  total: number,
  stream: OutputStream,
  line: ProgressLine = englishLine,
): ProgressView {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} {bar} {percentage}% | {value}/{total} items | {state}`,
        stream: stream as NodeJS.WritableStream,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { state: "submitted" });
    return {
      update: (done, status) => bar.update(done, { state: status }),
      stop: () => bar.stop(),
    };
  }
  let lastStatus = "";
  let lastQuarter = -1;
  return {
    update(done, status) {
      const quarter = total === 0 ? 4 : Math.floor((done * 4) / total);
      if (status === lastStatus && quarter === lastQuarter) return;
      lastStatus = status;
      lastQuarter = quarter;
      stream.write(`${line(label, status, done, total)}\n`);
    },
    stop() {},
  };
}
