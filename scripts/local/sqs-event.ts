// Owns the shape of the event Lambda's SQS event source mapping delivers, and how it reads the
// function's answer under ReportBatchItemFailures.
import type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSMessageAttribute, SQSRecord, SQSRecordAttributes } from "aws-lambda";

function base64(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined ? undefined : Buffer.from(bytes).toString("base64");
}

function recordAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  const attribute: SQSMessageAttribute = {
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map((bytes) => base64(bytes) ?? ""),
    dataType: value.DataType as SQSMessageAttribute["dataType"],
  };
  if (value.StringValue !== undefined) attribute.stringValue = value.StringValue;
  if (value.BinaryValue !== undefined) attribute.binaryValue = base64(value.BinaryValue);
  return attribute;
}

export function sqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const record: SQSRecord = {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes: (message.Attributes ?? {}) as unknown as SQSRecordAttributes,
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, recordAttribute(value)]),
    ),
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: region,
  };
  if (message.MD5OfMessageAttributes) record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  return record;
}

export function sqsEvent(messages: Message[], queueArn: string, region: string): SQSEvent {
  return { Records: messages.map((message) => sqsRecord(message, queueArn, region)) };
}

/**
 * The message ids to keep on the queue after a successful invocation, following Lambda's rules for
 * ReportBatchItemFailures: a null/empty answer or an empty or null `batchItemFailures` is complete
 * success; an answer that is not an object, a `batchItemFailures` that is not a list, or an entry
 * whose itemIdentifier is missing, empty or not a message of this batch fails the whole batch.
 */
export function failedMessageIds(answer: unknown, batch: readonly string[]): readonly string[] {
  if (answer === undefined || answer === null || answer === "") return [];
  if (typeof answer !== "object" || Array.isArray(answer)) return batch;
  const failures = (answer as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return [];
  if (!Array.isArray(failures)) return batch;
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== "string" || id === "" || !batch.includes(id)) return batch;
    failed.add(id);
  }
  return batch.filter((id) => failed.has(id));
}
