// Owns the event resource and the events list query.
import * as z from "zod";
import { isPayrailId } from "../domain/ids.js";
import { idSchema, limitQuerySchema } from "./common.js";

export const EVENT_TYPES = [
  "payment.succeeded",
  "payment.failed",
  "payment.processing",
  "payment.returned",
  "payment.requires_review",
  "refund.succeeded",
  "refund.failed",
  "hold.created",
  "hold.captured",
  "hold.voided",
  "hold.expired",
  "topup.succeeded",
  "batch.created",
  "batch.released",
  "batch.completed",
  "batch.failed",
  "batch.canceled",
  "batch.requires_approval",
  "batch.approved",
  "batch.rejected",
  "batch.item.failed",
  "webhook_endpoint.disabled",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

const EVENT_FAMILIES = [...new Set(EVENT_TYPES.map((type) => `${type.split(".")[0]}.*`))];

/** An event type, or `*`, or a family wildcard such as `payment.*`. */
export const eventTypePatternSchema = /* @__PURE__ */ z
  .string()
  .refine(
    (value) =>
      value === "*" || (EVENT_TYPES as readonly string[]).includes(value) || EVENT_FAMILIES.includes(value),
    {
      error: `must be an event type (${EVENT_TYPES.join(", ")}), a family such as payment.*, or *`,
    },
  )
  .meta({
    description: "An event type, a family wildcard such as `payment.*`, or `*`.",
    example: "payment.*",
  });

export const eventSchema = /* @__PURE__ */ z
  .object({
    id: idSchema("event"),
    object: z.literal("event"),
    type: z.enum(EVENT_TYPES),
    created_at: z.int(),
    livemode: z.boolean().meta({ description: "True for objects made with a live key, false in test mode." }),
    data: z.object({
      object: z
        .record(z.string(), z.unknown())
        .meta({ description: "The resource as GET answered it at the moment of the change." }),
    }),
  })
  .meta({ id: "Event" });

export type EventResource = z.infer<typeof eventSchema>;

/** `GET /v1/events?type=&starting_after=&limit=`: oldest first, forward from `starting_after`. */
export const listEventsQuerySchema = /* @__PURE__ */ z.strictObject({
  type: eventTypePatternSchema.optional(),
  limit: limitQuerySchema,
  starting_after: idSchema("event").optional(),
  object: z
    .string()
    .max(64)
    .refine(isPayrailId, { error: "must be the id of a payrail object (pay_…, bat_…, re_…)" })
    .optional()
    .meta({
      description:
        "Only the events about this object (a payment, batch, refund, hold, top-up or webhook endpoint id), oldest first.",
      example: "pay_01JD8S6Q5T3B1R8QW4FVY6ZC2M",
    }),
});
