// Owns the errors the local stack reports to a human: each carries one line that says what is wrong
// and how to fix it, so `npm start` and the test global setup can print it without a stack trace.

/** Base class: anything the local stack cannot start or run because of the machine or its config. */
export class LocalStackError extends Error {
  override name = "LocalStackError";
}

/** `java` is missing or too old for DynamoDB Local. */
export class JavaMissingError extends LocalStackError {
  override name = "JavaMissingError";
}

/** A port the caller asked for explicitly is taken (ephemeral ports are never reported). */
export class PortInUseError extends LocalStackError {
  override name = "PortInUseError";
  constructor(readonly port: number) {
    super(`payrail: port ${port} is already in use; set PORT=... to choose another`);
  }
}

/** A component (DynamoDB Local, serverless-offline) exited or did not answer in time; the message
 *  ends with the tail of its output, which is where the real cause is. */
export class ComponentStartError extends LocalStackError {
  override name = "ComponentStartError";
}

/** serverless.yml uses something the local stack cannot resolve or emulate. */
export class ServiceDefinitionError extends LocalStackError {
  override name = "ServiceDefinitionError";
}
