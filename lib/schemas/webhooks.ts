// Owns the webhook endpoint and delivery shapes.
import * as z from "zod";
import { descriptionSchema, idSchema, limitQuerySchema } from "./common.js";
import { eventTypePatternSchema } from "./events.js";

export const createWebhookEndpointSchema = /* @__PURE__ */ z
  .strictObject({
    url: z
      .string()
      .max(2048, { error: "must be at most 2048 characters" })
      .meta({ description: "Where events are POSTed. https in live mode; http allowed in test mode." }),
    events: z
      .array(eventTypePatternSchema)
      .min(1, { error: "must name at least one event type" })
      .max(50, { error: "must name at most 50 event types" }),
    description: descriptionSchema.optional(),
  })
  .meta({ id: "CreateWebhookEndpointRequest" });

export type CreateWebhookEndpointRequest = z.infer<typeof createWebhookEndpointSchema>;

export const webhookEndpointSchema = /* @__PURE__ */ z
  .object({
    id: idSchema("webhookEndpoint"),
    object: z.literal("webhook_endpoint"),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string().nullable(),
    status: z.enum(["enabled", "disabled"]),
    disabled_reason: z
      .enum(["merchant", "failing"])
      .nullable()
      .meta({ description: "`failing`: every delivery failed for 3 days, so payrail disabled it." }),
    livemode: z.boolean().meta({ description: "True for objects made with a live key, false in test mode." }),
    created_at: z.int(),
    secret: z
      .string()
      .optional()
      .meta({ description: "The signing secret (whsec_…), shown only when created or rotated." }),
  })
  .meta({ id: "WebhookEndpoint" });

export type WebhookEndpointResource = z.infer<typeof webhookEndpointSchema>;

export const deletedWebhookEndpointSchema = /* @__PURE__ */ z
  .object({ id: z.string(), object: z.literal("webhook_endpoint"), deleted: z.literal(true) })
  .meta({ id: "DeletedWebhookEndpoint" });

export const webhookDeliverySchema = /* @__PURE__ */ z
  .object({
    id: idSchema("webhookDelivery"),
    object: z.literal("webhook_delivery"),
    livemode: z.boolean().meta({ description: "True for objects made with a live key, false in test mode." }),
    endpoint: z.string(),
    event: z.string(),
    event_type: z.string(),
    attempt: z.int().meta({ description: "1 for the first try; a manual redelivery starts again at 1." }),
    status: z.enum(["succeeded", "failed"]),
    status_code: z.int().nullable().meta({ description: "The receiver's HTTP status; null if none came." }),
    duration_ms: z.int(),
    error: z.string().nullable().meta({ description: "Why no answer counted (timeout, refused, ...)." }),
    next_retry_at: z
      .int()
      .nullable()
      .meta({ description: "When the next attempt is due (epoch seconds); null when none will follow." }),
    created_at: z.int(),
  })
  .meta({ id: "WebhookDelivery" });

export type WebhookDeliveryResource = z.infer<typeof webhookDeliverySchema>;

export const listDeliveriesQuerySchema = /* @__PURE__ */ z.strictObject({
  limit: limitQuerySchema,
  starting_after: idSchema("webhookDelivery").optional(),
});

export const redeliverySchema = /* @__PURE__ */ z
  .object({
    object: z.literal("redelivery"),
    livemode: z.boolean().meta({ description: "True for objects made with a live key, false in test mode." }),
    event: z.string(),
    endpoints: z.array(z.string()).meta({ description: "The enabled endpoints the event is sent to again." }),
  })
  .meta({ id: "Redelivery" });
