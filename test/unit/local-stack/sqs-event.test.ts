import { describe, expect, it } from "vitest";
import { failedMessageIds, sqsRecord } from "../../../scripts/local/sqs-event.js";

const batch = ["m1", "m2", "m3"];

describe("failedMessageIds (Lambda's ReportBatchItemFailures rules)", () => {
  it("treats no answer, an empty answer and an empty or null list as complete success", () => {
    for (const answer of [undefined, null, "", {}, { batchItemFailures: [] }, { batchItemFailures: null }]) {
      expect(failedMessageIds(answer, batch)).toEqual([]);
    }
  });

  it("keeps exactly the listed messages", () => {
    expect(failedMessageIds({ batchItemFailures: [{ itemIdentifier: "m2" }] }, batch)).toEqual(["m2"]);
    expect(
      failedMessageIds({ batchItemFailures: [{ itemIdentifier: "m3" }, { itemIdentifier: "m1" }] }, batch),
    ).toEqual(["m1", "m3"]);
  });

  it("fails the whole batch for an unknown, empty or missing itemIdentifier", () => {
    expect(failedMessageIds({ batchItemFailures: [{ itemIdentifier: "other" }] }, batch)).toEqual(batch);
    expect(failedMessageIds({ batchItemFailures: [{ itemIdentifier: "" }] }, batch)).toEqual(batch);
    expect(failedMessageIds({ batchItemFailures: [{ id: "m1" }] }, batch)).toEqual(batch);
    expect(failedMessageIds({ batchItemFailures: [null] }, batch)).toEqual(batch);
  });

  it("fails the whole batch for a malformed answer", () => {
    expect(failedMessageIds("ok", batch)).toEqual(batch);
    expect(failedMessageIds(42, batch)).toEqual(batch);
    expect(failedMessageIds([], batch)).toEqual(batch);
    expect(failedMessageIds({ batchItemFailures: "m1" }, batch)).toEqual(batch);
  });
});

describe("sqsRecord", () => {
  it("builds the record Lambda delivers for an SQS message", () => {
    const record = sqsRecord(
      {
        MessageId: "id-1",
        ReceiptHandle: "rh-1",
        Body: "{}",
        MD5OfBody: "99914b932bd37a50b983c5e7c90ae93b",
        MD5OfMessageAttributes: "md5-attrs",
        Attributes: { ApproximateReceiveCount: "2", SentTimestamp: "1700000000000" },
        MessageAttributes: {
          kind: { DataType: "String", StringValue: "chunk" },
          blob: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      },
      "arn:aws:sqs:us-east-1:000000000000:q",
      "us-east-1",
    );
    expect(record).toEqual({
      messageId: "id-1",
      receiptHandle: "rh-1",
      body: "{}",
      attributes: { ApproximateReceiveCount: "2", SentTimestamp: "1700000000000" },
      messageAttributes: {
        kind: { stringValue: "chunk", stringListValues: [], binaryListValues: [], dataType: "String" },
        blob: { binaryValue: "AQID", stringListValues: [], binaryListValues: [], dataType: "Binary" },
      },
      md5OfBody: "99914b932bd37a50b983c5e7c90ae93b",
      md5OfMessageAttributes: "md5-attrs",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:q",
      awsRegion: "us-east-1",
    });
  });
});
