// Owns port selection for the local stack: everything binds 127.0.0.1, ephemeral unless a human
// asked for a port (PORT for `npm start`).
import { createServer } from "node:net";
import { PortInUseError } from "./errors.js";

/** A port free on 127.0.0.1 right now. Another process could take it before we bind it; with the
 *  kernel's ephemeral range that race is rare enough for a dev stack. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Throws PortInUseError when `port` cannot be bound on 127.0.0.1. */
export async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" || error.code === "EACCES" ? new PortInUseError(port) : error),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}
