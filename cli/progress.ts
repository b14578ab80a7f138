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

export function progressView(label: string, total: number, stream: OutputStream): ProgressView {
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
      stream.write(`${label} ${status}: ${done}/${total} items\n`);
    },
    stop() {},
  };
}
